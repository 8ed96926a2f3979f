import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryMessaging } from '../../src/memory/messaging/create-memory-messaging.js';
import type { InboundMessage, PublishResult } from '../../src/slots/messaging-slot.js';
import { envelopesFor } from './envelopes.js';

const ACKED = { mode: 'acked', timeoutMs: 1000 } as const;

const statuses = (results: readonly PublishResult[]) =>
  results.map((r) =>
    r.error ? `${r.identity}=${r.status}/${r.error.code}` : `${r.identity}=${r.status}`,
  );

describe('memory messaging: acked', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is DELIVERED when the handler acks during delivery, at once and without a timer', async () => {
    const slot = createMemoryMessaging();
    await slot.subscribe('ns', 'a', (m) => m.ack());
    const results = await slot.publish('ns', envelopesFor(['a', 'nobody']), ACKED);
    expect(statuses(results)).toEqual(['a=DELIVERED', 'nobody=NO_SUBSCRIBER']);
    expect(results[0]?.messageId).toBe('m1:a');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits for a later ack and resolves the whole batch together', async () => {
    const slot = createMemoryMessaging();
    const inbox: InboundMessage[] = [];
    await slot.subscribe('ns', 'a', (m) => inbox.push(m));
    await slot.subscribe('ns', 'b', (m) => inbox.push(m));
    let results: readonly PublishResult[] | undefined;
    const pending = slot.publish('ns', envelopesFor(['a', 'b', 'c']), ACKED).then((r) => {
      results = r;
    });
    await vi.advanceTimersByTimeAsync(100);
    inbox[1]?.ack();
    await vi.advanceTimersByTimeAsync(100);
    expect(results).toBeUndefined(); // 'a' still waits
    inbox[0]?.ack();
    await pending;
    expect(statuses(results!)).toEqual(['a=DELIVERED', 'b=DELIVERED', 'c=NO_SUBSCRIBER']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('times out what is not acked within timeoutMs, using one timer for the batch', async () => {
    const slot = createMemoryMessaging();
    const identities = Array.from({ length: 1000 }, (_, i) => `d${i}`);
    for (const id of identities)
      await slot.subscribe('ns', id, (m) => {
        if (Number(id.slice(1)) % 2 === 0) m.ack();
      });
    const pending = slot.publish('ns', envelopesFor(identities), ACKED);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const results = await pending;
    expect(results.map((r) => r.status)).toEqual(
      identities.map((_, i) => (i % 2 === 0 ? 'DELIVERED' : 'TIMEOUT')),
    );
    expect(results.map((r) => r.identity)).toEqual(identities);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits as long as asked, even beyond the 32-bit timer range', async () => {
    const slot = createMemoryMessaging();
    let message: InboundMessage | undefined;
    await slot.subscribe('ns', 'a', (m) => {
      message = m;
    });
    let results: readonly PublishResult[] | undefined;
    const pending = slot
      .publish('ns', envelopesFor(['a']), { mode: 'acked', timeoutMs: Number.POSITIVE_INFINITY })
      .then((r) => {
        results = r;
      });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(results).toBeUndefined();
    message?.ack();
    await pending;
    expect(statuses(results!)).toEqual(['a=DELIVERED']);
  });

  it('ignores acks after the timeout and repeated acks', async () => {
    const slot = createMemoryMessaging();
    let message: InboundMessage | undefined;
    await slot.subscribe('ns', 'a', (m) => {
      message = m;
    });
    const pending = slot.publish('ns', envelopesFor(['a']), { mode: 'acked', timeoutMs: 50 });
    await vi.advanceTimersByTimeAsync(50);
    const results = await pending;
    message?.ack();
    message?.ack();
    expect(statuses(results)).toEqual(['a=TIMEOUT']);
  });

  it('counts the first ack of any handler of the identity', async () => {
    const slot = createMemoryMessaging();
    const inbox: InboundMessage[] = [];
    await slot.subscribe('ns', 'a', () => {});
    await slot.subscribe('ns', 'a', (m) => inbox.push(m));
    const pending = slot.publish('ns', envelopesFor(['a']), ACKED);
    inbox[0]?.ack();
    expect(statuses(await pending)).toEqual(['a=DELIVERED']);
  });

  it('reports FAILED when every handler throws, without affecting other deliveries', async () => {
    const slot = createMemoryMessaging();
    await slot.subscribe('ns', 'bad', () => {
      throw new Error('boom');
    });
    await slot.subscribe('ns', 'good', (m) => m.ack());
    await slot.subscribe('ns', 'mixed', () => {
      throw new Error('boom');
    });
    await slot.subscribe('ns', 'mixed', (m) => m.ack());
    const results = await slot.publish('ns', envelopesFor(['bad', 'good', 'mixed']), ACKED);
    expect(statuses(results)).toEqual(['bad=FAILED/INTERNAL', 'good=DELIVERED', 'mixed=DELIVERED']);
    expect(results[0]?.error?.message).toContain('boom');
  });

  it('ends the wait on abort: the rest become FAILED with code CANCELLED', async () => {
    const slot = createMemoryMessaging();
    const inbox: InboundMessage[] = [];
    await slot.subscribe('ns', 'a', (m) => inbox.push(m));
    await slot.subscribe('ns', 'b', (m) => inbox.push(m));
    const controller = new AbortController();
    const pending = slot.publish('ns', envelopesFor(['a', 'b', 'c']), {
      ...ACKED,
      signal: controller.signal,
    });
    inbox[0]?.ack();
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    const results = await pending;
    expect(statuses(results)).toEqual(['a=DELIVERED', 'b=FAILED/CANCELLED', 'c=NO_SUBSCRIBER']);
    expect(vi.getTimerCount()).toBe(0);
    inbox[1]?.ack(); // too late: nothing changes
    expect(results[1]?.status).toBe('FAILED');
  });

  it('does not deliver when the signal is aborted before publish', async () => {
    const slot = createMemoryMessaging();
    const inbox: InboundMessage[] = [];
    await slot.subscribe('ns', 'a', (m) => inbox.push(m));
    const results = await slot.publish('ns', envelopesFor(['a']), {
      ...ACKED,
      signal: AbortSignal.abort(),
    });
    expect(statuses(results)).toEqual(['a=FAILED/CANCELLED']);
    expect(inbox).toHaveLength(0);
  });

  it('settles waiting batches as FAILED/UNAVAILABLE on close', async () => {
    const slot = createMemoryMessaging();
    await slot.subscribe('ns', 'a', () => {});
    const pending = slot.publish('ns', envelopesFor(['a']), ACKED);
    await slot.close();
    expect(statuses(await pending)).toEqual(['a=FAILED/UNAVAILABLE']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps per-identity order across acked batches', async () => {
    const slot = createMemoryMessaging();
    const order: string[] = [];
    await slot.subscribe('ns', 'a', (m) => {
      order.push(m.envelope.multicastId);
      m.ack();
    });
    const batches = Array.from({ length: 20 }, (_, i) =>
      slot.publish('ns', envelopesFor(['a'], `m${i}`), ACKED),
    );
    await Promise.all(batches);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
  });
});

describe('memory messaging: acked, in real time', () => {
  it('times out after about timeoutMs on the real clock', async () => {
    const slot = createMemoryMessaging();
    await slot.subscribe('ns', 'a', () => {});
    const started = performance.now();
    const results = await slot.publish('ns', envelopesFor(['a']), { mode: 'acked', timeoutMs: 30 });
    const elapsed = performance.now() - started;
    expect(statuses(results)).toEqual(['a=TIMEOUT']);
    expect(elapsed).toBeGreaterThanOrEqual(25);
  });
});
