// Guarantees: two coordinators on the same slots behave as one deployment: what one registers the
// other reads and enumerates; a multicast from one reaches a subscriber of the other; with a
// registry that supports watch, a watcher on one sees the other's writes; concurrent sweeps from
// both remove each expired identity once and report each expiry exactly once.
import type { Message, WatchEvent } from '@muster/core';
import { expect } from 'vitest';
import { AsyncReader } from '../support/async-reader.js';
import { type CoordinatorSuiteContext, withCoordinators } from './coordinator-suite-context.js';
import { describeEvent } from './coordinator-watch-suite.js';

export function coordinatorSharedSlotsSuite(context: CoordinatorSuiteContext): void {
  const { test, supports } = context;

  test('two coordinators: registrations, enumerate and multicast across them', async () => {
    await withCoordinators(
      context,
      { label: 'c-shared', count: 2 },
      async ({ musters, namespace }) => {
        const [a, b] = musters as [(typeof musters)[0], (typeof musters)[0]];
        await a.register(namespace, { identity: 'device', metadata: { via: 'a' } });
        expect((await b.get(namespace, 'device')).metadata).toEqual({ via: 'a' });
        expect((await b.enumerate(namespace)).identities.map((r) => r.identity)).toEqual([
          'device',
        ]);
        const inbox = new AsyncReader<Message>(await a.subscribe(namespace, 'device'));
        const mode = supports.messaging.atMostOnce ? 'at-most-once' : 'acked';
        const report = b.multicast(namespace, {
          payload: 'from b',
          delivery: mode,
          timeoutMs: 5_000,
        });
        const [message] = await inbox.take(1, 'the message from the other coordinator');
        await message!.ack();
        expect((await report).deliveries.map((d) => d.status)).toEqual([
          mode === 'acked' ? 'DELIVERED' : 'SENT',
        ]);
        await b.unregister(namespace, 'device');
        expect((await a.enumerate(namespace)).identities).toEqual([]);
      },
    );
  });

  if (supports.registry.watch) {
    test('two coordinators: a watcher on one sees the writes of the other', async () => {
      await withCoordinators(
        context,
        { label: 'c-shared-watch', count: 2 },
        async ({ musters, namespace }) => {
          const [a, b] = musters as [(typeof musters)[0], (typeof musters)[0]];
          const watch = await b.watch(namespace, {});
          const reader = new AsyncReader<WatchEvent>(watch);
          await a.register(namespace, { identity: 'x', metadata: { v: 1 } });
          await a.register(namespace, { identity: 'x', metadata: { v: 2 }, replace: true });
          await a.unregister(namespace, 'x');
          expect(
            (await reader.take(3, "the other coordinator's changes")).map(describeEvent),
          ).toEqual(['added:registered:x', 'changed:updated:x', 'removed:unregistered:x']);
          await watch.close();
        },
      );
    });
  }

  test('two coordinators: concurrent sweeps report each expiry exactly once', async () => {
    await withCoordinators(
      context,
      { label: 'c-shared-sweep', count: 2 },
      async ({ musters, namespace, time }) => {
        const [a, b] = musters as [(typeof musters)[0], (typeof musters)[0]];
        const ids = Array.from({ length: 20 }, (_, i) => `exp-${String(i).padStart(2, '0')}`);
        for (const identity of ids) await a.register(namespace, { identity, ttlMs: time.ttlMs });
        const watches = [await a.watch(namespace, {}), await b.watch(namespace, {})];
        const readers = watches.map((watch) => new AsyncReader<WatchEvent>(watch));
        await time.advance(time.ttlMs + time.marginMs);
        const [sweptByA, sweptByB] = await Promise.all([a.sweep(), b.sweep()]);
        if (supports.registry.ttl === 'sweep')
          expect(sweptByA! + sweptByB!, 'expired identities swept in total').toBe(ids.length);
        if (supports.registry.watch) {
          // Both watchers see every expiry, once.
          for (const reader of readers) {
            const events = await reader.take(ids.length, 'one expiry per identity', 10_000);
            expect(events.map(describeEvent).sort()).toEqual(
              ids.map((id) => `removed:expired:${id}`),
            );
            expect(await reader.idle(100)).toEqual([]);
          }
        } else {
          // Local events only: each coordinator reports what it swept; together, each once.
          const events = [...(await readers[0]!.idle(200)), ...(await readers[1]!.idle(200))];
          expect(events.map(describeEvent).sort()).toEqual(
            ids.map((id) => `removed:expired:${id}`),
          );
        }
        for (const watch of watches) await watch.close();
      },
    );
  });
}
