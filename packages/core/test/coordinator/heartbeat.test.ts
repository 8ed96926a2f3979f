import { describe, expect, test } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import { MusterError } from '../../src/errors/muster-error.js';
import { createMemoryDurability } from '../../src/memory/durability/create-memory-durability.js';
import { TestRegistry } from './support/slots.js';
import { useMusters } from './support/use-musters.js';

const open = useMusters();

describe('heartbeat', { timeout: 10_000 }, () => {
  test('extends the TTL by ttlMs or the namespace default, from now', async () => {
    const clock = new ManualClock(0);
    const muster = open({ clock, namespaces: { iot: { ttlDefaultMs: 30_000 } } });
    await muster.register('iot', { identity: 'd', ttlMs: 10_000 });
    clock.advance(9_000);
    expect(await muster.heartbeat('iot', 'd')).toEqual({ identity: 'd', expiresAt: 39_000 });
    clock.advance(20_000);
    expect((await muster.heartbeat('iot', 'd', { ttlMs: 5_000 })).expiresAt).toBe(34_000);
    clock.advance(4_999);
    expect((await muster.get('iot', 'd')).expiresAt).toBe(34_000);
    clock.advance(1);
    const error = await muster.heartbeat('iot', 'd').catch((e: unknown) => e);
    expect(MusterError.is(error, 'NOT_FOUND')).toBe(true);
  });

  test('NOT_FOUND for an identity never registered or unregistered', async () => {
    const muster = open({ namespaces: { iot: { ttlDefaultMs: 1000 } } });
    expect(MusterError.is(await muster.heartbeat('iot', 'x').catch((e) => e), 'NOT_FOUND')).toBe(
      true,
    );
    await muster.register('iot', { identity: 'x' });
    await muster.unregister('iot', 'x');
    expect(MusterError.is(await muster.heartbeat('iot', 'x').catch((e) => e), 'NOT_FOUND')).toBe(
      true,
    );
  });

  test('without a TTL to apply, an identity without TTL stays without', async () => {
    const clock = new ManualClock(0);
    const muster = open({ clock });
    await muster.register('ns', { identity: 'forever' });
    expect(await muster.heartbeat('ns', 'forever')).toEqual({
      identity: 'forever',
      expiresAt: null,
    });
    await muster.register('ns', { identity: 'timed', ttlMs: 1000 });
    const error = await muster.heartbeat('ns', 'timed').catch((e: unknown) => e);
    expect(MusterError.is(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as MusterError).details.field).toBe('ttlMs');
    expect((await muster.heartbeat('ns', 'timed', { ttlMs: 2000 })).expiresAt).toBe(2000);
  });

  test('ttlMs beyond maxTtlMs is INVALID_ARGUMENT', async () => {
    const muster = open({ namespaces: { ns: { maxTtlMs: 100, ttlDefaultMs: 50 } } });
    await muster.register('ns', { identity: 'a' });
    const error = await muster.heartbeat('ns', 'a', { ttlMs: 101 }).catch((e: unknown) => e);
    expect(MusterError.is(error, 'INVALID_ARGUMENT')).toBe(true);
  });

  test('heartbeatMany uses one registry call and returns the missing identities', async () => {
    const clock = new ManualClock(0);
    const registry = new TestRegistry();
    const muster = open({ clock, registry, namespaces: { iot: { ttlDefaultMs: 1000 } } });
    const identities = Array.from({ length: 5000 }, (_, i) => `d${i}`);
    for (const identity of identities) await muster.register('iot', { identity });
    clock.advance(900);
    const result = await muster.heartbeatMany('iot', [...identities, 'ghost'], { ttlMs: 2000 });
    expect(result.missing).toEqual(['ghost']);
    expect(registry.calls.touchMany).toBe(1);
    expect(registry.calls.touch).toBeUndefined();
    clock.advance(1500);
    expect((await muster.get('iot', 'd4999')).expiresAt).toBe(2900);
    expect((await muster.enumerate('iot', { limit: 1, totalCount: true })).totalCount).toBe(5000);
  });

  test('heartbeatMany checks its arguments', async () => {
    const muster = open({ namespaces: { iot: { ttlDefaultMs: 1000 } } });
    for (const call of [
      muster.heartbeatMany('iot', 'a' as never),
      muster.heartbeatMany('iot', ['ok', 'not ok']),
      muster.heartbeatMany('iot', ['a'], { ttlMs: 0 }),
      muster.heartbeatMany('plain', ['a']),
    ]) {
      expect(MusterError.is(await call.catch((e: unknown) => e), 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});

describe('unregister and get', { timeout: 10_000 }, () => {
  test('unregister is idempotent and reports whether something was removed', async () => {
    const muster = open();
    await muster.register('ns', { identity: 'a' });
    expect(await muster.unregister('ns', 'a')).toEqual({ removed: true });
    expect(await muster.unregister('ns', 'a')).toEqual({ removed: false });
    expect(await muster.unregister('ns', 'never')).toEqual({ removed: false });
    expect(MusterError.is(await muster.get('ns', 'a').catch((e) => e), 'NOT_FOUND')).toBe(true);
  });

  test('unregister purges the identity durable queue', async () => {
    const durability = createMemoryDurability({ retention: {} });
    const muster = open({ durability });
    await muster.register('ns', { identity: 'a' });
    await muster.multicast('ns', { payload: 'queued', delivery: 'at-least-once' });
    expect(await durability.read('ns', 'a', { limit: 10 }, Date.now())).toHaveLength(1);
    await muster.unregister('ns', 'a');
    expect(await durability.read('ns', 'a', { limit: 10 }, Date.now())).toHaveLength(0);
    await durability.close();
  });

  test('an expired identity is invisible to every read before any sweep', async () => {
    const clock = new ManualClock(0);
    const muster = open({ clock });
    await muster.register('ns', { identity: 'a', ttlMs: 100 });
    await muster.register('ns', { identity: 'b' });
    clock.advance(100);
    expect(MusterError.is(await muster.get('ns', 'a').catch((e) => e), 'NOT_FOUND')).toBe(true);
    const page = await muster.enumerate('ns', { totalCount: true });
    expect(page.identities.map((r) => r.identity)).toEqual(['b']);
    expect(page.totalCount).toBe(1);
    expect((await muster.multicast('ns', { payload: 'x' })).targetCount).toBe(1);
  });

  test('get checks the identity', async () => {
    const muster = open();
    const error = await muster.get('ns', 'bad identity').catch((e: unknown) => e);
    expect(MusterError.is(error, 'INVALID_ARGUMENT')).toBe(true);
  });
});
