import { describe, expect, it } from 'vitest';
import { MusterError } from '../../src/errors/muster-error.js';
import {
  createMemoryDurability,
  MEMORY_DURABILITY_SUPPORTS,
} from '../../src/memory/durability/create-memory-durability.js';
import type { QueuedMessage } from '../../src/slots/durability-slot.js';
import { envelope, T0 } from './envelopes.js';

const ids = (messages: readonly QueuedMessage[]) => messages.map((m) => m.envelope.messageId);
const ALL = { limit: 1000 };

describe('memory durability: supports', () => {
  it('declares retention, notify and reports, not distribution, as frozen data', () => {
    const slot = createMemoryDurability();
    expect(slot.supports).toEqual({
      retention: true,
      notify: true,
      distributed: false,
      reports: true,
    });
    expect(Object.isFrozen(slot.supports)).toBe(true);
    expect(slot.supports).toBe(MEMORY_DURABILITY_SUPPORTS);
    expect(typeof slot.onAvailable).toBe('function');
  });
});

describe('memory durability: queues', () => {
  it('returns increasing sequences in input order and reads each queue in order', async () => {
    const slot = createMemoryDurability();
    const sequences = await slot.enqueue(
      'ns',
      [envelope('a', 'a1'), envelope('b', 'b1'), envelope('a', 'a2'), envelope('a', 'a3')],
      T0,
    );
    expect(sequences).toHaveLength(4);
    for (let i = 1; i < sequences.length; i++)
      expect(sequences[i]!).toBeGreaterThan(sequences[i - 1]!);
    const a = await slot.read('ns', 'a', ALL, T0);
    expect(ids(a)).toEqual(['a1', 'a2', 'a3']);
    expect(a.map((m) => m.sequence)).toEqual([sequences[0], sequences[2], sequences[3]]);
    expect(a[0]).toEqual({ sequence: sequences[0], envelope: envelope('a', 'a1') });
    expect(ids(await slot.read('ns', 'b', ALL, T0))).toEqual(['b1']);
    expect(await slot.read('ns', 'nobody', ALL, T0)).toEqual([]);
  });

  it('reads after a sequence and at most limit', async () => {
    const slot = createMemoryDurability();
    const seq = await slot.enqueue(
      'ns',
      ['1', '2', '3', '4', '5'].map((n) => envelope('a', n)),
      T0,
    );
    expect(ids(await slot.read('ns', 'a', { after: seq[1]!, limit: 2 }, T0))).toEqual(['3', '4']);
    expect(ids(await slot.read('ns', 'a', { after: seq[4]!, limit: 10 }, T0))).toEqual([]);
    expect(ids(await slot.read('ns', 'a', { limit: 1 }, T0))).toEqual(['1']);
    expect(await slot.read('ns', 'a', { limit: 0 }, T0)).toEqual([]);
    await expect(slot.read('ns', 'a', { limit: -1 }, T0)).rejects.toSatisfy((e) =>
      MusterError.is(e, 'INVALID_ARGUMENT'),
    );
  });

  it('never returns an acked message again, and redelivers unacked ones from an earlier position', async () => {
    const slot = createMemoryDurability();
    const seq = await slot.enqueue(
      'ns',
      ['1', '2', '3', '4'].map((n) => envelope('a', n)),
      T0,
    );
    expect(ids(await slot.read('ns', 'a', ALL, T0))).toEqual(['1', '2', '3', '4']);
    await slot.ack('ns', 'a', [seq[0]!, seq[2]!]); // the head and one in the middle
    expect(ids(await slot.read('ns', 'a', ALL, T0))).toEqual(['2', '4']);
    expect(ids(await slot.read('ns', 'a', { after: seq[1]!, limit: 10 }, T0))).toEqual(['4']);
    await slot.ack('ns', 'a', [seq[1]!]);
    expect(ids(await slot.read('ns', 'a', ALL, T0))).toEqual(['4']);
    await slot.ack('ns', 'a', [seq[3]!]);
    expect(await slot.read('ns', 'a', ALL, T0)).toEqual([]);
  });

  it('acks idempotently; unknown, other identities and dropped sequences are no error', async () => {
    const slot = createMemoryDurability();
    const seq = await slot.enqueue(
      'ns',
      [envelope('a', '1'), envelope('b', '2'), envelope('a', '3')],
      T0,
    );
    await slot.ack('ns', 'a', [seq[0]!, seq[0]!]);
    await slot.ack('ns', 'a', [seq[0]!]);
    await slot.ack('ns', 'a', [seq[1]!, 999_999, -5]); // seq[1] belongs to b
    await slot.ack('ns', 'nobody', [1]);
    await slot.ack('other', 'a', [seq[2]!]);
    expect(ids(await slot.read('ns', 'a', ALL, T0))).toEqual(['3']);
    expect(ids(await slot.read('ns', 'b', ALL, T0))).toEqual(['2']);
  });

  it('purges a queue and never reuses its sequences', async () => {
    const slot = createMemoryDurability();
    const before = await slot.enqueue('ns', [envelope('a', '1'), envelope('a', '2')], T0);
    await slot.purge('ns', 'a');
    await slot.purge('ns', 'a');
    expect(await slot.read('ns', 'a', ALL, T0)).toEqual([]);
    const after = await slot.enqueue('ns', [envelope('a', '3')], T0);
    expect(after[0]!).toBeGreaterThan(before[1]!);
    expect(ids(await slot.read('ns', 'a', ALL, T0))).toEqual(['3']);
    await slot.ack('ns', 'a', after);
    const again = await slot.enqueue('ns', [envelope('a', '4')], T0);
    expect(again[0]!).toBeGreaterThan(after[0]!);
  });

  it('isolates namespaces', async () => {
    const slot = createMemoryDurability();
    await slot.enqueue('one', [envelope('a', '1')], T0);
    expect(await slot.read('two', 'a', ALL, T0)).toEqual([]);
    await slot.purge('two', 'a');
    await slot.trim('two', T0 + 1e12);
    expect(ids(await slot.read('one', 'a', ALL, T0))).toEqual(['1']);
  });

  it('enqueues a batch of 10,000 and reads it back in order', async () => {
    const slot = createMemoryDurability({ retention: {} });
    const batch = Array.from({ length: 10_000 }, (_, i) => envelope(`d${i % 10}`, String(i)));
    const seq = await slot.enqueue('ns', batch, T0);
    expect(new Set(seq).size).toBe(10_000);
    const d3 = await slot.read('ns', 'd3', { limit: 10_000 }, T0);
    expect(d3).toHaveLength(1000);
    expect(ids(d3)).toEqual(Array.from({ length: 1000 }, (_, i) => String(i * 10 + 3)));
  });

  it('refuses work after close with UNAVAILABLE', async () => {
    const slot = createMemoryDurability();
    await slot.close();
    await slot.close();
    await expect(slot.enqueue('ns', [envelope('a', '1')], T0)).rejects.toSatisfy((e) =>
      MusterError.is(e, 'UNAVAILABLE'),
    );
    await expect(slot.read('ns', 'a', ALL, T0)).rejects.toSatisfy((e) =>
      MusterError.is(e, 'UNAVAILABLE'),
    );
  });
});
