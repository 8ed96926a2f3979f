import { afterEach, describe, expect, test } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import type { Muster, Watch, WatchEvent } from '../../src/coordinator/muster-api.js';
import { MusterError } from '../../src/errors/muster-error.js';
import { createMemoryRegistry } from '../../src/memory/registry/create-memory-registry.js';
import type { RegistrySlot } from '../../src/slots/registry-slot.js';
import { musterFor, nextWithin, settle, TestRegistry, take } from './support/slots.js';

const opened: Muster[] = [];
const registries: RegistrySlot[] = [];
function open(...args: Parameters<typeof musterFor>): Muster {
  const muster = musterFor(...args);
  opened.push(muster);
  return muster;
}
function sharedRegistry(): RegistrySlot {
  const registry = createMemoryRegistry();
  registries.push(registry);
  return registry;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((muster) => muster.close()));
  await Promise.all(registries.splice(0).map((registry) => registry.close()));
});

const brief = (events: readonly WatchEvent[]) =>
  events.map((e) => `${e.type}/${e.reason}/${e.identity}`);

/** The registry variants: with its own change events, and without (the coordinator's bus). */
const variants = {
  'registry watch': () => undefined,
  'local events': () => new TestRegistry({ supports: { watch: false } }),
};

for (const [variant, makeRegistry] of Object.entries(variants)) {
  describe(`watch (${variant})`, { timeout: 10_000 }, () => {
    test('added, changed and removed with their reasons, as a live query', async () => {
      const clock = new ManualClock(0);
      const registry = makeRegistry();
      const muster = open({ clock, ...(registry ? { registry } : {}) });
      const watch = await muster.watch('ns', { filter: 'battery < 0.2' });
      await muster.register('ns', { identity: 'a', metadata: { battery: 0.1 } });
      await muster.register('ns', { identity: 'b', metadata: { battery: 0.9 } });
      await muster.register('ns', { identity: 'a', metadata: { battery: 0.15 }, replace: true });
      await muster.register('ns', { identity: 'b', metadata: { battery: 0.05 }, replace: true });
      await muster.register('ns', { identity: 'a', metadata: { battery: 0.5 }, replace: true });
      await muster.register('ns', { identity: 'a', metadata: { battery: 0.6 }, replace: true });
      await muster.unregister('ns', 'b');
      await muster.register('ns', { identity: 'c', metadata: { battery: 0.1 }, ttlMs: 100 });
      clock.advance(100);
      await muster.sweep();
      const events = await take(watch, 7);
      expect(brief(events)).toEqual([
        'added/registered/a',
        'changed/updated/a',
        'added/updated/b',
        'removed/updated/a',
        'removed/unregistered/b',
        'added/registered/c',
        'removed/expired/c',
      ]);
      expect(events[1]!.record?.metadata).toEqual({ battery: 0.15 });
      expect(events[3]!.record?.metadata).toEqual({ battery: 0.5 });
      expect(events[4]!.record?.metadata).toEqual({ battery: 0.05 });
      expect(events[6]!.at).toBe(100);
      expect(await nextWithin(watch, 30)).toBeUndefined();
    });

    test('initial: added/initial for every identity matching when the watch starts', async () => {
      const registry = makeRegistry();
      const muster = open(registry ? { registry } : {});
      for (let i = 0; i < 30; i++)
        await muster.register('ns', {
          identity: `d${String(i).padStart(2, '0')}`,
          metadata: { i },
        });
      const watch = await muster.watch('ns', { filter: 'i >= 25', initial: true });
      await muster.register('ns', { identity: 'd99', metadata: { i: 99 } });
      await muster.unregister('ns', 'd25');
      const events = await take(watch, 7);
      expect(brief(events)).toEqual([
        'added/initial/d25',
        'added/initial/d26',
        'added/initial/d27',
        'added/initial/d28',
        'added/initial/d29',
        'added/registered/d99',
        'removed/unregistered/d25',
      ]);
      // Without initial, only changes.
      const quiet = await muster.watch('ns', { filter: 'i >= 25' });
      await muster.register('ns', { identity: 'd26', metadata: { i: 1 }, replace: true });
      expect(brief(await take(quiet, 1))).toEqual(['removed/updated/d26']);
    });

    test('no filter watches everything; close() ends the iteration', async () => {
      const registry = makeRegistry();
      const muster = open(registry ? { registry } : {});
      const watch = await muster.watch('ns');
      await muster.register('ns', { identity: 'x' });
      expect(brief(await take(watch, 1))).toEqual(['added/registered/x']);
      const iterator = watch[Symbol.asyncIterator]();
      const waiting = iterator.next();
      await watch.close();
      expect(await waiting).toMatchObject({ done: true });
    });

    test('namespaces are isolated; the abort signal closes the watch', async () => {
      const registry = makeRegistry();
      const muster = open(registry ? { registry } : {});
      const controller = new AbortController();
      const watch = await muster.watch('one', { signal: controller.signal });
      await muster.register('two', { identity: 'x' });
      await muster.register('one', { identity: 'y' });
      expect(brief(await take(watch, 1))).toEqual(['added/registered/y']);
      controller.abort();
      expect(await take(watch, 1)).toEqual([]);
    });
  });
}

describe('watch across coordinators', { timeout: 10_000 }, () => {
  test('register through one, watch, enumerate and expire through the other', async () => {
    const clock = new ManualClock(0);
    const registry = sharedRegistry();
    const writer = open({ clock, registry });
    const reader = open({ clock, registry });
    const watch = await reader.watch('ns', { filter: 'kind == "sensor"' });
    await writer.register('ns', { identity: 's1', metadata: { kind: 'sensor' }, ttlMs: 50 });
    await writer.register('ns', { identity: 'g1', metadata: { kind: 'gateway' } });
    expect((await reader.enumerate('ns')).identities.map((r) => r.identity)).toEqual(['g1', 's1']);
    clock.advance(50);
    expect(await reader.sweep()).toBe(1);
    expect(await writer.sweep()).toBe(0);
    expect(brief(await take(watch, 2))).toEqual(['added/registered/s1', 'removed/expired/s1']);
    expect(await nextWithin(watch, 30)).toBeUndefined();
  });

  test('two watchers on two coordinators each see an expiry exactly once', async () => {
    const clock = new ManualClock(0);
    const registry = sharedRegistry();
    const one = open({ clock, registry });
    const two = open({ clock, registry });
    const watchOne = await one.watch('ns');
    const watchTwo = await two.watch('ns');
    await one.register('ns', { identity: 'a', ttlMs: 10 });
    clock.advance(10);
    await Promise.all([one.sweep(), two.sweep(), one.sweep()]);
    for (const watch of [watchOne, watchTwo]) {
      expect(brief(await take(watch, 2))).toEqual(['added/registered/a', 'removed/expired/a']);
      expect(await nextWithin(watch, 20)).toBeUndefined();
    }
  });
});

describe('watch start', { timeout: 10_000 }, () => {
  test('changes during the initial walk are applied once, after it', async () => {
    const registry = new TestRegistry();
    const muster = open({ registry });
    await muster.register('ns', { identity: 'a', metadata: { v: 1 } });
    const enumerate = registry.enumerate;
    let calls = 0;
    registry.enumerate = async (namespace, query, now) => {
      calls++;
      // Seen by the walk and by the change listener: must not be reported twice.
      if (calls === 1) await muster.register('ns', { identity: 'b', metadata: { v: 1 } });
      const page = await enumerate(namespace, query, now);
      // Not seen by the walk: reported from the held changes.
      if (calls === 1) {
        await muster.register('ns', { identity: 'c', metadata: { v: 1 } });
        await muster.register('ns', { identity: 'a', metadata: { v: 2 }, replace: true });
      }
      return page;
    };
    const watch = await muster.watch('ns', { initial: true });
    expect(brief(await take(watch, 4))).toEqual([
      'added/initial/a',
      'added/initial/b',
      'added/registered/c',
      'changed/updated/a',
    ]);
    expect(await nextWithin(watch, 20)).toBeUndefined();
  });
});

describe('watch limits', { timeout: 10_000 }, () => {
  test('a watcher that falls behind the buffer gets UNAVAILABLE after the buffered events', async () => {
    const muster = open({ namespaces: { ns: { subscriberBufferSize: 3 } } });
    const watch: Watch = await muster.watch('ns');
    for (let i = 0; i < 5; i++) await muster.register('ns', { identity: `a${i}` });
    const iterator = watch[Symbol.asyncIterator]();
    const seen: string[] = [];
    let failure: unknown;
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        seen.push(next.value.identity);
      }
    } catch (error) {
      failure = error;
    }
    expect(seen).toEqual(['a0', 'a1', 'a2']);
    expect(MusterError.is(failure, 'UNAVAILABLE')).toBe(true);
    expect(await iterator.next()).toMatchObject({ done: true });
  });

  test('an initial set larger than the buffer is fine', async () => {
    const muster = open({ namespaces: { ns: { subscriberBufferSize: 2 } } });
    for (let i = 0; i < 10; i++) await muster.register('ns', { identity: `a${i}` });
    const watch = await muster.watch('ns', { initial: true });
    expect(await take(watch, 10)).toHaveLength(10);
  });

  test('a bad filter is INVALID_FILTER; initial must be a boolean', async () => {
    const muster = open();
    expect(
      MusterError.is(
        await muster.watch('ns', { filter: 'a ==' }).catch((e) => e),
        'INVALID_FILTER',
      ),
    ).toBe(true);
    expect(
      MusterError.is(
        await muster.watch('ns', { initial: 'yes' as never }).catch((e) => e),
        'INVALID_ARGUMENT',
      ),
    ).toBe(true);
    await settle();
  });
});
