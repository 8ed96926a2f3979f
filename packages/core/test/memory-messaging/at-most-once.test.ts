import { describe, expect, it } from 'vitest';
import { MusterError } from '../../src/errors/muster-error.js';
import {
  createMemoryMessaging,
  MEMORY_MESSAGING_SUPPORTS,
} from '../../src/memory/messaging/create-memory-messaging.js';
import type { InboundMessage } from '../../src/slots/messaging-slot.js';
import { envelopesFor } from './envelopes.js';

const AT_MOST_ONCE = { mode: 'at-most-once', timeoutMs: 1000 } as const;

describe('memory messaging: supports', () => {
  it('declares every capability but distribution, as frozen data', () => {
    const slot = createMemoryMessaging();
    expect(slot.supports).toEqual({
      atMostOnce: true,
      acked: true,
      presence: true,
      distributed: false,
    });
    expect(Object.isFrozen(slot.supports)).toBe(true);
    expect(slot.supports).toBe(MEMORY_MESSAGING_SUPPORTS);
  });
});

describe('memory messaging: at-most-once', () => {
  it('hands each message to its subscriber before publish resolves: SENT, else NO_SUBSCRIBER', async () => {
    const slot = createMemoryMessaging();
    const got: InboundMessage[] = [];
    await slot.subscribe('ns', 'a', (m) => got.push(m));
    const pending = slot.publish('ns', envelopesFor(['a', 'b']), AT_MOST_ONCE);
    expect(got).toHaveLength(1); // synchronously, inside publish
    const results = await pending;
    expect(results).toEqual([
      { identity: 'a', messageId: 'm1:a', status: 'SENT' },
      { identity: 'b', messageId: 'm1:b', status: 'NO_SUBSCRIBER' },
    ]);
    expect(got[0]?.envelope).toEqual(envelopesFor(['a'])[0]);
    expect(() => got[0]?.ack()).not.toThrow();
  });

  it('gives every handler of an identity every message', async () => {
    const slot = createMemoryMessaging();
    const first: string[] = [];
    const second: string[] = [];
    await slot.subscribe('ns', 'a', (m) => first.push(m.envelope.messageId));
    await slot.subscribe('ns', 'a', (m) => second.push(m.envelope.messageId));
    await slot.publish('ns', envelopesFor(['a'], 'x'), AT_MOST_ONCE);
    await slot.publish('ns', envelopesFor(['a'], 'y'), AT_MOST_ONCE);
    expect(first).toEqual(['x:a', 'y:a']);
    expect(second).toEqual(['x:a', 'y:a']);
  });

  it('keeps results in input order and per-identity order in publish order', async () => {
    const slot = createMemoryMessaging();
    const seen = new Map<string, string[]>();
    for (const id of ['a', 'b', 'c'])
      await slot.subscribe('ns', id, (m) => {
        seen.set(id, [...(seen.get(id) ?? []), m.envelope.multicastId]);
      });
    const batch = [...envelopesFor(['c', 'a', 'zz', 'b'], 'm1'), ...envelopesFor(['a', 'c'], 'm2')];
    const results = await slot.publish('ns', batch, AT_MOST_ONCE);
    expect(results.map((r) => `${r.messageId}=${r.status}`)).toEqual([
      'm1:c=SENT',
      'm1:a=SENT',
      'm1:zz=NO_SUBSCRIBER',
      'm1:b=SENT',
      'm2:a=SENT',
      'm2:c=SENT',
    ]);
    for (let i = 3; i <= 50; i++)
      await slot.publish('ns', envelopesFor(['a'], `m${i}`), AT_MOST_ONCE);
    expect(seen.get('a')).toEqual(Array.from({ length: 50 }, (_, i) => `m${i + 1}`));
    expect(seen.get('c')).toEqual(['m1', 'm2']);
  });

  it('isolates namespaces', async () => {
    const slot = createMemoryMessaging();
    const got: string[] = [];
    await slot.subscribe('one', 'a', (m) => got.push(m.envelope.messageId));
    const results = await slot.publish('two', envelopesFor(['a']), AT_MOST_ONCE);
    expect(results[0]?.status).toBe('NO_SUBSCRIBER');
    expect(got).toEqual([]);
  });

  it('stops delivering after unsubscribe, idempotently, and keeps the other subscriptions', async () => {
    const slot = createMemoryMessaging();
    const first: string[] = [];
    const second: string[] = [];
    const handler = (m: InboundMessage) => first.push(m.envelope.multicastId);
    const unsubscribeFirst = await slot.subscribe('ns', 'a', handler);
    const unsubscribeSecond = await slot.subscribe('ns', 'a', (m) =>
      second.push(m.envelope.multicastId),
    );
    await slot.publish('ns', envelopesFor(['a'], 'x'), AT_MOST_ONCE);
    await unsubscribeFirst();
    await unsubscribeFirst();
    await slot.publish('ns', envelopesFor(['a'], 'y'), AT_MOST_ONCE);
    expect(first).toEqual(['x']);
    expect(second).toEqual(['x', 'y']);
    await unsubscribeSecond();
    const results = await slot.publish('ns', envelopesFor(['a'], 'z'), AT_MOST_ONCE);
    expect(results[0]?.status).toBe('NO_SUBSCRIBER');
  });

  it('treats the same function subscribed twice as two subscriptions', async () => {
    const slot = createMemoryMessaging();
    const got: string[] = [];
    const handler = (m: InboundMessage) => got.push(m.envelope.multicastId);
    const one = await slot.subscribe('ns', 'a', handler);
    await slot.subscribe('ns', 'a', handler);
    await slot.publish('ns', envelopesFor(['a'], 'x'), AT_MOST_ONCE);
    await one();
    await one();
    await slot.publish('ns', envelopesFor(['a'], 'y'), AT_MOST_ONCE);
    expect(got).toEqual(['x', 'x', 'y']);
  });

  it('does not call a handler unsubscribed during the same delivery', async () => {
    const slot = createMemoryMessaging();
    const got: string[] = [];
    let unsubscribeSecond: (() => Promise<void>) | undefined;
    await slot.subscribe('ns', 'a', () => {
      void unsubscribeSecond?.();
      got.push('first');
    });
    unsubscribeSecond = await slot.subscribe('ns', 'a', () => got.push('second'));
    const results = await slot.publish('ns', envelopesFor(['a']), AT_MOST_ONCE);
    expect(got).toEqual(['first']);
    expect(results[0]?.status).toBe('SENT');
  });

  it('isolates a throwing handler from the others', async () => {
    const slot = createMemoryMessaging();
    const got: string[] = [];
    await slot.subscribe('ns', 'a', () => {
      throw new Error('boom');
    });
    await slot.subscribe('ns', 'a', (m) => got.push(m.envelope.identity));
    await slot.subscribe('ns', 'b', (m) => got.push(m.envelope.identity));
    const results = await slot.publish('ns', envelopesFor(['a', 'b']), AT_MOST_ONCE);
    expect(got).toEqual(['a', 'b']);
    expect(results.map((r) => r.status)).toEqual(['SENT', 'SENT']);
  });

  it('returns FAILED/CANCELLED for everything, delivering nothing, when the signal is already aborted', async () => {
    const slot = createMemoryMessaging();
    const got: string[] = [];
    await slot.subscribe('ns', 'a', (m) => got.push(m.envelope.identity));
    const results = await slot.publish('ns', envelopesFor(['a', 'b']), {
      ...AT_MOST_ONCE,
      signal: AbortSignal.abort(),
    });
    expect(got).toEqual([]);
    expect(results.map((r) => [r.status, r.error?.code])).toEqual([
      ['FAILED', 'CANCELLED'],
      ['FAILED', 'CANCELLED'],
    ]);
  });

  it('is shared by several users of one instance (e.g. coordinators)', async () => {
    const slot = createMemoryMessaging();
    const got: string[] = [];
    // One "coordinator" subscribes, another publishes: they only share the slot.
    await slot.subscribe('ns', 'device-1', (m) => got.push(m.envelope.messageId));
    const results = await slot.publish(
      'ns',
      envelopesFor(['device-1'], 'from-other'),
      AT_MOST_ONCE,
    );
    expect(results[0]?.status).toBe('SENT');
    expect(got).toEqual(['from-other:device-1']);
  });

  it('delivers one batch to 10,000 identities', async () => {
    const slot = createMemoryMessaging();
    const identities = Array.from({ length: 10_000 }, (_, i) => `d${i}`);
    const counts = new Map<string, number>();
    for (const id of identities)
      await slot.subscribe('ns', id, (m) =>
        counts.set(m.envelope.identity, (counts.get(id) ?? 0) + 1),
      );
    const results = await slot.publish('ns', envelopesFor(identities), AT_MOST_ONCE);
    expect(results).toHaveLength(10_000);
    expect(results.every((r, i) => r.status === 'SENT' && r.identity === identities[i])).toBe(true);
    expect(counts.size).toBe(10_000);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('refuses work after close with UNAVAILABLE and stops delivering', async () => {
    const slot = createMemoryMessaging();
    const got: string[] = [];
    await slot.subscribe('ns', 'a', (m) => got.push(m.envelope.identity));
    await slot.close();
    await expect(slot.publish('ns', envelopesFor(['a']), AT_MOST_ONCE)).rejects.toSatisfy((e) =>
      MusterError.is(e, 'UNAVAILABLE'),
    );
    await expect(slot.subscribe('ns', 'a', () => {})).rejects.toSatisfy((e) =>
      MusterError.is(e, 'UNAVAILABLE'),
    );
    expect(got).toEqual([]);
  });
});
