import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Message, Muster } from '../../src/coordinator/muster-api.js';
import { MusterError } from '../../src/errors/muster-error.js';
import { createMemoryDurability } from '../../src/memory/durability/create-memory-durability.js';
import type { DurabilitySlot } from '../../src/slots/durability-slot.js';
import { musterFor, settle, text } from './support/slots.js';

const opened: Muster[] = [];
const slots: DurabilitySlot[] = [];
function open(...args: Parameters<typeof musterFor>): Muster {
  const muster = musterFor(...args);
  opened.push(muster);
  return muster;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((muster) => muster.close()));
  await Promise.all(slots.splice(0).map((slot) => slot.close()));
  vi.restoreAllMocks();
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
    const durability = createMemoryDurability({ retention: {} });
    slots.push(durability);
    const muster = open({ durability, namespaces: { ns: { subscriberBufferSize: 4 } } });
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
