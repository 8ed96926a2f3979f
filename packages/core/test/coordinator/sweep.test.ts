import { afterEach, describe, expect, test } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import { createMuster } from '../../src/coordinator/create-muster.js';
import type { Muster } from '../../src/coordinator/muster-api.js';
import { MusterError } from '../../src/errors/muster-error.js';
import { createMemoryDurability } from '../../src/memory/durability/create-memory-durability.js';
import { createMemoryMessaging } from '../../src/memory/messaging/create-memory-messaging.js';
import { createMemoryRegistry } from '../../src/memory/registry/create-memory-registry.js';
import type { DurabilitySlot } from '../../src/slots/durability-slot.js';
import { musterFor, TestMessaging, TestRegistry, take } from './support/slots.js';

const opened: Muster[] = [];
function open(...args: Parameters<typeof musterFor>): Muster {
  const muster = musterFor(...args);
  opened.push(muster);
  return muster;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((muster) => muster.close().catch(() => {})));
});

describe('sweep', { timeout: 10_000 }, () => {
  test('removes expired identities in every namespace and returns how many', async () => {
    const clock = new ManualClock(0);
    const registry = new TestRegistry();
    const muster = open({ clock, registry });
    for (let i = 0; i < 2500; i++)
      await muster.register('big', { identity: `d${i}`, ttlMs: i < 2100 ? 100 : 1000 });
    await muster.register('small', { identity: 'x', ttlMs: 100 });
    await muster.register('small', { identity: 'y' });
    expect(await muster.sweep()).toBe(0);
    clock.advance(100);
    expect(await muster.sweep()).toBe(2101);
    expect(registry.calls.sweep).toBeGreaterThanOrEqual(5);
    expect((await muster.enumerate('big', { totalCount: true, limit: 1 })).totalCount).toBe(400);
    expect((await muster.enumerate('small')).identities.map((r) => r.identity)).toEqual(['y']);
    expect(await muster.sweep()).toBe(0);
  });

  test('purges the durable queues of expired identities and trims retention', async () => {
    const clock = new ManualClock(0);
    const durability = createMemoryDurability({ retention: { maxAgeMs: 1000 } });
    const muster = open({ clock, durability });
    await muster.register('ns', { identity: 'gone', ttlMs: 100 });
    await muster.register('ns', { identity: 'stays' });
    await muster.multicast('ns', { payload: 'x', delivery: 'at-least-once' });
    clock.advance(100);
    await muster.sweep();
    expect(await durability.read('ns', 'gone', { limit: 10 }, clock.now())).toHaveLength(0);
    expect(await durability.read('ns', 'stays', { limit: 10 }, clock.now())).toHaveLength(1);
    clock.advance(1000);
    await muster.sweep();
    expect(await durability.read('ns', 'stays', { limit: 10 }, clock.now())).toHaveLength(0);
    await durability.close();
  });

  test('concurrent sweeps share one pass; slot failures are UNAVAILABLE', async () => {
    const clock = new ManualClock(0);
    const registry = new TestRegistry();
    const muster = open({ clock, registry });
    await muster.register('ns', { identity: 'a', ttlMs: 1 });
    clock.advance(1);
    const [one, two] = await Promise.all([muster.sweep(), muster.sweep()]);
    expect(one + two).toBe(2);
    expect(registry.calls.namespaces).toBe(1);
    registry.failures.push({ method: 'namespaces', times: 1, error: new Error('down') });
    expect(MusterError.is(await muster.sweep().catch((e) => e), 'UNAVAILABLE')).toBe(true);
    expect(await muster.sweep()).toBe(0);
  });

  test('the background sweeper runs every sweepIntervalMs', async () => {
    const registry = new TestRegistry();
    const muster = createMuster({ registry, sweepIntervalMs: 20 });
    opened.push(muster);
    await muster.register('ns', { identity: 'a', ttlMs: 30 });
    const watch = await muster.watch('ns');
    const events = await take(watch, 1);
    expect(events.map((e) => `${e.type}/${e.reason}/${e.identity}`)).toEqual(['removed/expired/a']);
    expect(registry.calls.sweep).toBeGreaterThan(0);
  });

  test('sweepIntervalMs 0 disables the sweeper', async () => {
    const registry = new TestRegistry();
    const muster = createMuster({ registry, sweepIntervalMs: 0 });
    opened.push(muster);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(registry.calls.sweep).toBeUndefined();
    expect(registry.calls.namespaces).toBeUndefined();
  });
});

describe('createMuster and close', { timeout: 10_000 }, () => {
  test('every call after close rejects with UNAVAILABLE; close is idempotent', async () => {
    const muster = createMuster({ sweepIntervalMs: 0 });
    await muster.register('ns', { identity: 'a' });
    const inbox = await muster.subscribe('ns', 'a');
    const watch = await muster.watch('ns');
    await muster.close();
    await muster.close();
    expect(await take(inbox, 1)).toEqual([]);
    expect(await take(watch, 1)).toEqual([]);
    const calls: Promise<unknown>[] = [
      muster.register('ns', { identity: 'b' }),
      muster.heartbeat('ns', 'a'),
      muster.heartbeatMany('ns', ['a'], { ttlMs: 10 }),
      muster.unregister('ns', 'a'),
      muster.get('ns', 'a'),
      muster.enumerate('ns'),
      muster.multicast('ns', { payload: 'x' }),
      muster.subscribe('ns', 'a'),
      muster.watch('ns'),
      muster.sweep(),
    ];
    for (const call of calls) {
      const error = await call.catch((e: unknown) => e);
      expect(MusterError.is(error, 'UNAVAILABLE')).toBe(true);
      expect((error as MusterError).message).toMatch(/closed/);
    }
  });

  test('closes the slots it created, never the ones it was given', async () => {
    const registry = createMemoryRegistry();
    const messaging = createMemoryMessaging();
    const durability: DurabilitySlot = createMemoryDurability();
    const muster = createMuster({ registry, messaging, durability, sweepIntervalMs: 0 });
    await muster.register('ns', { identity: 'a' });
    await muster.close();
    expect(await registry.get('ns', 'a', Date.now())).toBeDefined();
    await messaging.subscribe('ns', 'a', () => {});
    await durability.read('ns', 'a', { limit: 1 }, Date.now());
    await Promise.all([registry.close(), messaging.close(), durability.close()]);

    const given = new TestMessaging();
    const own = createMuster({ messaging: given, sweepIntervalMs: 0 });
    await own.close();
    await given.subscribe('ns', 'a', () => {});
    await given.close();
  });

  test('options are checked when the coordinator is created', () => {
    const bad: unknown[] = [
      { sweepIntervalMs: -1 },
      { sweepIntervalMs: 'often' },
      { namespaces: { 'bad name': {} } },
      { namespaces: { ok: { maxTtlMs: 0 } } },
      { namespaces: { ok: { ttlDefaultMs: 2000, maxTtlMs: 1000 } } },
      { namespaces: { ok: { enumerateDefaultLimit: 50, enumerateMaxLimit: 10 } } },
      { namespaces: { ok: { multicastRetries: -1 } } },
      { namespaces: { ok: { maxIdentities: 1.5 } } },
      { namespaces: { ok: { schema: { fields: { a: { type: 'enum' } } } } } },
      { clock: {} },
      { registry: {} },
      { registry: null },
    ];
    for (const options of bad) {
      let error: unknown;
      try {
        createMuster(options as never);
      } catch (caught) {
        error = caught;
      }
      expect(MusterError.is(error, 'INVALID_ARGUMENT'), JSON.stringify(options)).toBe(true);
    }
    const error = (() => {
      try {
        createMuster({ namespaces: { iot: { maxTtlMs: -5 } } });
      } catch (caught) {
        return caught as MusterError;
      }
    })();
    expect(error?.details.field).toBe('namespaces.iot.maxTtlMs');
  });
});
