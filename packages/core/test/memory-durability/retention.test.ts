import { describe, expect, it } from 'vitest';
import { MusterError } from '../../src/errors/muster-error.js';
import {
  createMemoryDurability,
  DEFAULT_RETENTION,
} from '../../src/memory/durability/create-memory-durability.js';
import type { QueuedMessage } from '../../src/slots/durability-slot.js';
import { envelope, T0 } from './envelopes.js';

const ids = (messages: readonly QueuedMessage[]) => messages.map((m) => m.envelope.messageId);
const ALL = { limit: 100_000 };

describe('memory durability: retention', () => {
  it('hides messages older than maxAgeMs from read at once, and trim drops them', async () => {
    const slot = createMemoryDurability({ retention: { maxAgeMs: 1000 } });
    await slot.enqueue('ns', [envelope('a', 'old', T0), envelope('a', 'new', T0 + 500)], T0 + 500);
    expect(ids(await slot.read('ns', 'a', ALL, T0 + 1000))).toEqual(['old', 'new']); // age 1000 is kept
    expect(ids(await slot.read('ns', 'a', ALL, T0 + 1001))).toEqual(['new']);
    await slot.trim('ns', T0 + 1001);
    // Dropped for good: even a read with an earlier clock no longer sees it.
    expect(ids(await slot.read('ns', 'a', ALL, T0))).toEqual(['new']);
    await slot.trim('ns', T0 + 1501);
    expect(await slot.read('ns', 'a', ALL, T0)).toEqual([]);
  });

  it('drops by age even when createdAt is out of order in the queue', async () => {
    const slot = createMemoryDurability({ retention: { maxAgeMs: 1000 } });
    await slot.enqueue(
      'ns',
      [
        envelope('a', 'recent', T0 + 900),
        envelope('a', 'stale', T0),
        envelope('a', 'last', T0 + 950),
      ],
      T0,
    );
    expect(ids(await slot.read('ns', 'a', ALL, T0 + 1500))).toEqual(['recent', 'last']);
    await slot.trim('ns', T0 + 1500);
    expect(ids(await slot.read('ns', 'a', ALL, T0))).toEqual(['recent', 'last']);
  });

  it('keeps at most maxLength unacked messages per identity, dropping the oldest on enqueue', async () => {
    const slot = createMemoryDurability({ retention: { maxLength: 3 } });
    const seq = await slot.enqueue(
      'ns',
      ['1', '2', '3', '4', '5'].map((n) => envelope('a', n)),
      T0,
    );
    await slot.enqueue('ns', [envelope('b', 'b1')], T0);
    expect(ids(await slot.read('ns', 'a', ALL, T0))).toEqual(['3', '4', '5']);
    expect(ids(await slot.read('ns', 'b', ALL, T0))).toEqual(['b1']);
    // Acked messages do not count.
    await slot.ack('ns', 'a', [seq[3]!]);
    await slot.enqueue('ns', [envelope('a', '6')], T0);
    expect(ids(await slot.read('ns', 'a', ALL, T0))).toEqual(['3', '5', '6']);
    await slot.enqueue('ns', [envelope('a', '7')], T0);
    expect(ids(await slot.read('ns', 'a', ALL, T0))).toEqual(['5', '6', '7']);
  });

  it('counts acked messages out of the length even after the head passes them', async () => {
    const slot = createMemoryDurability({ retention: { maxLength: 3 } });
    const seq = await slot.enqueue(
      'ns',
      ['1', '2', '3'].map((n) => envelope('a', n)),
      T0,
    );
    await slot.ack('ns', 'a', [seq[1]!]); // the middle first
    await slot.ack('ns', 'a', [seq[0]!]); // then the head: the head moves past both
    await slot.enqueue(
      'ns',
      ['4', '5', '6'].map((n) => envelope('a', n)),
      T0,
    );
    expect(ids(await slot.read('ns', 'a', ALL, T0))).toEqual(['4', '5', '6']);
  });

  it('defaults to DEFAULT_RETENTION (7 days, 10,000 per identity)', async () => {
    const { maxAgeMs, maxLength } = DEFAULT_RETENTION;
    const slot = createMemoryDurability();
    const batch = Array.from({ length: maxLength! + 2 }, (_, i) => envelope('a', String(i)));
    await slot.enqueue('ns', batch, T0);
    const kept = await slot.read('ns', 'a', ALL, T0);
    expect(kept).toHaveLength(maxLength!);
    expect(kept[0]?.envelope.messageId).toBe('2');
    expect(await slot.read('ns', 'a', ALL, T0 + maxAgeMs! + 1)).toEqual([]);
  });

  it('keeps everything with an empty policy', async () => {
    const slot = createMemoryDurability({ retention: {} });
    await slot.enqueue('ns', [envelope('a', '1', 0)], T0);
    await slot.trim('ns', T0 * 10);
    expect(ids(await slot.read('ns', 'a', ALL, T0 * 10))).toEqual(['1']);
  });

  it('refuses a malformed policy', () => {
    for (const retention of [
      { maxAgeMs: -1 },
      { maxAgeMs: Number.NaN },
      { maxLength: 1.5 },
      { maxLength: -3 },
    ]) {
      expect(() => createMemoryDurability({ retention })).toThrow(MusterError);
    }
  });
});
