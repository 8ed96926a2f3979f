import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Message, Muster } from '../../src/coordinator/muster-api.js';
import { MusterError } from '../../src/errors/muster-error.js';
import { createMemoryDurability } from '../../src/memory/durability/create-memory-durability.js';
import { createMemoryMessaging } from '../../src/memory/messaging/create-memory-messaging.js';
import { createMemoryRegistry } from '../../src/memory/registry/create-memory-registry.js';
import type { DurabilitySlot } from '../../src/slots/durability-slot.js';
import {
  durabilityWithoutNotify,
  musterFor,
  nextWithin,
  settle,
  TestMessaging,
  take,
  text,
  unavailable,
} from './support/slots.js';

const opened: Muster[] = [];
const slots: DurabilitySlot[] = [];
function open(...args: Parameters<typeof musterFor>): Muster {
  const muster = musterFor(...args);
  opened.push(muster);
  return muster;
}
function durable(): DurabilitySlot {
  const slot = createMemoryDurability({ retention: {} });
  slots.push(slot);
  return slot;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((muster) => muster.close()));
  await Promise.all(slots.splice(0).map((slot) => slot.close()));
  vi.restoreAllMocks();
});

const texts = (messages: readonly Message[]) => messages.map(text);

describe('subscribe', { timeout: 10_000 }, () => {
  test('queued messages first, in order, then live ones, without gaps or reordering', async () => {
    // A slow backend: the backlog read takes a while, and live messages arrive meanwhile.
    const base = durable();
    const slow: DurabilitySlot = {
      supports: base.supports,
      enqueue: base.enqueue.bind(base),
      read: async (...args) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return base.read(...args);
      },
      ack: base.ack.bind(base),
      purge: base.purge.bind(base),
      trim: base.trim.bind(base),
      onAvailable: base.onAvailable!.bind(base),
      close: base.close.bind(base),
    };
    const muster = open({ durability: slow });
    await muster.register('ns', { identity: 'a' });
    for (let i = 0; i < 5; i++)
      await muster.multicast('ns', { payload: `queued-${i}`, delivery: 'at-least-once' });
    const inbox = await muster.subscribe('ns', 'a');
    // Sent while the backlog is being read: they wait behind it.
    await muster.multicast('ns', { payload: 'live-0' });
    await muster.multicast('ns', { payload: 'queued-5', delivery: 'at-least-once' });
    await muster.multicast('ns', { payload: 'live-1' });
    const received = await take(inbox, 8);
    expect(texts(received).slice(0, 5)).toEqual([
      'queued-0',
      'queued-1',
      'queued-2',
      'queued-3',
      'queued-4',
    ]);
    expect(new Set(texts(received).slice(5))).toEqual(new Set(['live-0', 'queued-5', 'live-1']));
    expect(texts(received).indexOf('live-0')).toBeLessThan(texts(received).indexOf('live-1'));
    for (const message of received) await message.ack();
    await muster.multicast('ns', { payload: 'later', delivery: 'at-least-once' });
    expect(texts(await take(inbox, 1))).toEqual(['later']);
    expect(await nextWithin(inbox, 50)).toBeUndefined();
  });

  test('a large backlog beyond the buffer is delivered whole and in order', async () => {
    const muster = open({
      durability: durable(),
      namespaces: { ns: { subscriberBufferSize: 8 } },
    });
    await muster.register('ns', { identity: 'a' });
    for (let i = 0; i < 50; i++)
      await muster.multicast('ns', { payload: String(i), delivery: 'at-least-once' });
    const inbox = await muster.subscribe('ns', 'a');
    await settle();
    await muster.multicast('ns', { payload: 'live' });
    const received = await take(inbox, 51);
    expect(texts(received)).toEqual([...Array.from({ length: 50 }, (_, i) => String(i)), 'live']);
    expect(inbox.overflowed).toBe(0);
  });

  test('unacked durable messages are redelivered with attempt + 1 on the next subscribe', async () => {
    const muster = open({ durability: durable() });
    await muster.register('ns', { identity: 'a' });
    await muster.multicast('ns', { payload: 'one', delivery: 'at-least-once' });
    await muster.multicast('ns', { payload: 'two', delivery: 'at-least-once' });
    const first = await muster.subscribe('ns', 'a');
    const [one, two] = await take(first, 2);
    expect([one!.attempt, two!.attempt]).toEqual([1, 1]);
    await one!.ack();
    await first.close();
    const second = await muster.subscribe('ns', 'a');
    const [again] = await take(second, 1);
    expect(text(again!)).toBe('two');
    expect(again!.attempt).toBe(2);
    expect(again!.messageId).toBe(two!.messageId);
    await again!.ack();
    await second.close();
    const third = await muster.subscribe('ns', 'a');
    expect(await nextWithin(third, 50)).toBeUndefined();
  });

  test('acked messages: ack() makes the multicast DELIVERED', async () => {
    const muster = open();
    await muster.register('ns', { identity: 'a' });
    const inbox = await muster.subscribe('ns', 'a');
    const pending = muster.multicast('ns', { payload: 'x', delivery: 'acked', timeoutMs: 2000 });
    const [message] = await take(inbox, 1);
    await message!.ack();
    const report = await pending;
    expect(report.deliveries[0]!.status).toBe('DELIVERED');
  });

  test('a full buffer drops the newest live message and counts it; acked ones time out', async () => {
    const muster = open({ namespaces: { ns: { subscriberBufferSize: 2 } }, durability: null });
    await muster.register('ns', { identity: 'slow' });
    await muster.register('ns', { identity: 'fast' });
    const slow = await muster.subscribe('ns', 'slow');
    const fast = await muster.subscribe('ns', 'fast');
    const fastReceived: string[] = [];
    void (async () => {
      for await (const message of fast) {
        fastReceived.push(text(message));
        await message.ack();
      }
    })();
    for (let i = 0; i < 5; i++) {
      await muster.multicast('ns', { payload: `m${i}` });
      await settle();
    }
    expect(slow.overflowed).toBe(3);
    expect(fastReceived).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(fast.overflowed).toBe(0);
    expect(texts(await take(slow, 2))).toEqual(['m0', 'm1']);
    // Room again: new messages arrive.
    await muster.multicast('ns', { payload: 'm5' });
    expect(texts(await take(slow, 1))).toEqual(['m5']);
    // Acked: with the slow buffer full, the third is dropped and times out at the publisher.
    await muster.multicast('ns', { payload: 'a1' });
    await muster.multicast('ns', { payload: 'a2' });
    const report = await muster.multicast('ns', {
      payload: 'a3',
      delivery: 'acked',
      timeoutMs: 100,
    });
    const byIdentity = Object.fromEntries(report.deliveries.map((d) => [d.identity, d.status]));
    expect(byIdentity).toEqual({ fast: 'DELIVERED', slow: 'TIMEOUT' });
    expect(slow.overflowed).toBe(4);
  });

  test('durable messages are never lost to a full buffer', async () => {
    const muster = open({ durability: durable(), namespaces: { ns: { subscriberBufferSize: 2 } } });
    await muster.register('ns', { identity: 'a' });
    const inbox = await muster.subscribe('ns', 'a');
    await settle();
    for (let i = 0; i < 6; i++)
      await muster.multicast('ns', { payload: `d${i}`, delivery: 'at-least-once' });
    await settle();
    expect(inbox.overflowed).toBe(0);
    const received = await take(inbox, 6);
    expect(texts(received)).toEqual(['d0', 'd1', 'd2', 'd3', 'd4', 'd5']);
  });

  test('a slow subscriber does not delay the multicast or other subscribers', async () => {
    const muster = open({ durability: null });
    await muster.register('ns', { identity: 'slow' });
    await muster.register('ns', { identity: 'quick' });
    await muster.subscribe('ns', 'slow'); // never read
    const quick = await muster.subscribe('ns', 'quick');
    for (let i = 0; i < 3; i++) {
      const report = await muster.multicast('ns', { payload: `m${i}` });
      expect(report.deliveries.map((d) => d.status)).toEqual(['SENT', 'SENT']);
    }
    expect(texts(await take(quick, 3))).toEqual(['m0', 'm1', 'm2']);
  });

  test('close() ends the iteration and unsubscribes', async () => {
    const muster = open();
    await muster.register('ns', { identity: 'a' });
    const inbox = await muster.subscribe('ns', 'a');
    const iterator = inbox[Symbol.asyncIterator]();
    const waiting = iterator.next();
    await inbox.close();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(await iterator.next()).toMatchObject({ done: true });
    const report = await muster.multicast('ns', { payload: 'x' });
    expect(report.deliveries[0]!.status).toBe('NO_SUBSCRIBER');
  });

  test('for await with break cleans up', async () => {
    const muster = open();
    await muster.register('ns', { identity: 'a' });
    const inbox = await muster.subscribe('ns', 'a');
    await muster.multicast('ns', { payload: 'x' });
    for await (const message of inbox) {
      expect(text(message)).toBe('x');
      break;
    }
    const report = await muster.multicast('ns', { payload: 'y' });
    expect(report.deliveries[0]!.status).toBe('NO_SUBSCRIBER');
  });

  test('the abort signal ends the subscription', async () => {
    const muster = open();
    await muster.register('ns', { identity: 'a' });
    const controller = new AbortController();
    const inbox = await muster.subscribe('ns', 'a', { signal: controller.signal });
    const iterator = inbox[Symbol.asyncIterator]();
    const waiting = iterator.next();
    controller.abort();
    expect(await waiting).toMatchObject({ done: true });
    await settle();
    expect((await muster.multicast('ns', { payload: 'x' })).deliveries[0]!.status).toBe(
      'NO_SUBSCRIBER',
    );
    const error = await muster
      .subscribe('ns', 'a', { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(MusterError.is(error, 'CANCELLED')).toBe(true);
  });

  test('several subscriptions to one identity each receive every message', async () => {
    const muster = open();
    await muster.register('ns', { identity: 'a' });
    const one = await muster.subscribe('ns', 'a');
    const two = await muster.subscribe('ns', 'a');
    await muster.multicast('ns', { payload: 'x' });
    expect(texts(await take(one, 1))).toEqual(['x']);
    expect(texts(await take(two, 1))).toEqual(['x']);
  });

  test('polls a durability slot that cannot notify; local multicasts wake it at once', async () => {
    const slot = durabilityWithoutNotify();
    slots.push(slot);
    const registry = createMemoryRegistry();
    const local = open({ durability: slot, registry });
    const remote = open({ durability: slot, registry });
    await local.register('ns', { identity: 'a' });
    const inbox = await local.subscribe('ns', 'a');
    await settle();
    await local.multicast('ns', { payload: 'local', delivery: 'at-least-once' });
    expect(texts(await take(inbox, 1))).toEqual(['local']);
    // Queued through another coordinator: found by the next poll (every 100 ms).
    await remote.multicast('ns', { payload: 'remote', delivery: 'at-least-once' });
    const started = Date.now();
    expect(texts(await take(inbox, 1))).toEqual(['remote']);
    expect(Date.now() - started).toBeLessThan(1000);
    await registry.close();
  });

  test('a subscribe that the messaging slot refuses rejects, and leaves nothing behind', async () => {
    const messaging = new TestMessaging();
    const muster = open({ messaging });
    messaging.failures.push({ method: 'subscribe', times: 1, error: new Error('refused') });
    const error = await muster.subscribe('ns', 'a').catch((e: unknown) => e);
    expect(MusterError.is(error, 'UNAVAILABLE')).toBe(true);
    const inbox = await muster.subscribe('ns', 'a');
    await inbox.close();
  });

  test('a durability read failing is retried until the backend is back', async () => {
    const base = createMemoryDurability({ retention: {} });
    slots.push(base);
    let failures = 2;
    const flaky: DurabilitySlot = {
      supports: base.supports,
      enqueue: base.enqueue.bind(base),
      read: (...args) => {
        if (failures-- > 0) return Promise.reject(unavailable());
        return base.read(...args);
      },
      ack: base.ack.bind(base),
      purge: base.purge.bind(base),
      trim: base.trim.bind(base),
      onAvailable: base.onAvailable!.bind(base),
      close: base.close.bind(base),
    };
    const muster = open({ durability: flaky });
    await muster.register('ns', { identity: 'a' });
    await muster.multicast('ns', { payload: 'kept', delivery: 'at-least-once' });
    const inbox = await muster.subscribe('ns', 'a');
    expect(texts(await take(inbox, 1))).toEqual(['kept']);
  });

  test('subscribing checks the identity', async () => {
    const muster = open();
    const error = await muster.subscribe('ns', '').catch((e: unknown) => e);
    expect(MusterError.is(error, 'INVALID_ARGUMENT')).toBe(true);
  });

  test('a messaging slot shared by two coordinators delivers across them', async () => {
    const messaging = createMemoryMessaging();
    const one = open({ messaging });
    const two = open({ messaging });
    await one.register('ns', { identity: 'a' });
    const inbox = await two.subscribe('ns', 'a');
    const report = await one.multicast('ns', { payload: 'across' });
    expect(report.deliveries[0]!.status).toBe('SENT');
    expect(texts(await take(inbox, 1))).toEqual(['across']);
    await messaging.close();
  });
});

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('subscribe with an onMessage callback', { timeout: 10_000 }, () => {
  test('every message reaches the callback in order, synchronously with its delivery', async () => {
    const muster = open();
    await muster.register('ns', { identity: 'a' });
    const received: Message[] = [];
    await muster.subscribe('ns', 'a', { onMessage: (message) => received.push(message) });
    for (let i = 0; i < 100; i++) await muster.multicast('ns', { payload: String(i) });
    // The in-memory messaging slot delivers inside multicast: no waiting needed.
    expect(received.map(text)).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
    expect(received[0]!.identity).toBe('a');
  });

  test('queued messages first, then live ones; acks work; nothing overflows a small buffer', async () => {
    const muster = open({ durability: durable(), namespaces: { ns: { subscriberBufferSize: 4 } } });
    await muster.register('ns', { identity: 'a' });
    for (let i = 0; i < 20; i++)
      await muster.multicast('ns', { payload: `queued-${i}`, delivery: 'at-least-once' });
    const received: string[] = [];
    const subscription = await muster.subscribe('ns', 'a', {
      onMessage: (message) => {
        received.push(text(message));
        void message.ack();
      },
    });
    await until(() => received.length === 20);
    for (let i = 0; i < 10; i++) await muster.multicast('ns', { payload: `live-${i}` });
    await until(() => received.length === 30);
    expect(received).toEqual([
      ...Array.from({ length: 20 }, (_, i) => `queued-${i}`),
      ...Array.from({ length: 10 }, (_, i) => `live-${i}`),
    ]);
    expect(subscription.overflowed).toBe(0);
    // Acked: a new subscription has no backlog.
    await subscription.close();
    const again: string[] = [];
    await muster.subscribe('ns', 'a', { onMessage: (message) => again.push(text(message)) });
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(again).toEqual([]);
  });

  test('a callback that throws is warned about once and delivery goes on', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const muster = open();
    await muster.register('ns', { identity: 'a' });
    await muster.register('ns', { identity: 'b' });
    const fromA: string[] = [];
    const fromB: string[] = [];
    await muster.subscribe('ns', 'a', {
      onMessage: (message) => {
        fromA.push(text(message));
        throw new Error('consumer bug');
      },
    });
    await muster.subscribe('ns', 'b', { onMessage: (message) => fromB.push(text(message)) });
    await muster.multicast('ns', { payload: 'one' });
    await muster.multicast('ns', { payload: 'two' });
    expect(fromA).toEqual(['one', 'two']);
    expect(fromB).toEqual(['one', 'two']);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain('consumer bug');
  });

  test('close() stops the callbacks; iterating a callback subscription is refused', async () => {
    const muster = open();
    await muster.register('ns', { identity: 'a' });
    const received: string[] = [];
    const subscription = await muster.subscribe('ns', 'a', {
      onMessage: (message) => received.push(text(message)),
    });
    const error = await subscription[Symbol.asyncIterator]()
      .next()
      .catch((e: unknown) => e);
    expect(MusterError.is(error, 'INVALID_ARGUMENT')).toBe(true);
    await muster.multicast('ns', { payload: 'before' });
    await subscription.close();
    await muster.multicast('ns', { payload: 'after' });
    expect(received).toEqual(['before']);
  });

  test('onMessage must be a function', async () => {
    const muster = open();
    const error = await muster
      .subscribe('ns', 'a', { onMessage: 'nope' as unknown as (message: Message) => void })
      .catch((e: unknown) => e);
    expect(MusterError.is(error, 'INVALID_ARGUMENT')).toBe(true);
  });
});
