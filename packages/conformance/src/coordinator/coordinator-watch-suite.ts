// Guarantees (through createMuster): watch is a live query: `added` when an identity starts
// matching (registered, or updated into the filter; `initial` for those matching at the start when
// asked), `changed` when a match is updated and still matches, `removed` when it stops matching
// (updated out, unregistered, expired), nothing for identities that never match.
import type { WatchEvent } from '@muster/core';
import { expect } from 'vitest';
import { AsyncReader } from '../support/async-reader.js';
import { type CoordinatorSuiteContext, withCoordinators } from './coordinator-suite-context.js';

export const describeEvent = (event: WatchEvent): string =>
  `${event.type}:${event.reason}:${event.identity}`;

export function coordinatorWatchSuite(context: CoordinatorSuiteContext): void {
  context.test('coordinator watch: added / changed / removed with their reasons', async () => {
    await withCoordinators(context, { label: 'c-watch' }, async ({ muster, namespace, time }) => {
      await muster.register(namespace, { identity: 'early', metadata: { level: 5 } });
      await muster.register(namespace, { identity: 'early-low', metadata: { level: 0 } });
      const watch = await muster.watch(namespace, { filter: 'level > 1', initial: true });
      const reader = new AsyncReader<WatchEvent>(watch);
      expect((await reader.take(1, 'the initial event')).map(describeEvent)).toEqual([
        'added:initial:early',
      ]);
      await muster.register(namespace, { identity: 'a', metadata: { level: 2 } });
      await muster.register(namespace, { identity: 'a', metadata: { level: 3 }, replace: true });
      await muster.register(namespace, { identity: 'a', metadata: { level: 0 }, replace: true });
      await muster.register(namespace, { identity: 'b', metadata: { level: 0 } });
      await muster.register(namespace, { identity: 'a', metadata: { level: 9 }, replace: true });
      await muster.unregister(namespace, 'a');
      await muster.register(namespace, {
        identity: 'c',
        metadata: { level: 7 },
        ttlMs: time.ttlMs,
      });
      const events = await reader.take(6, 'six events');
      expect(events.map(describeEvent)).toEqual([
        'added:registered:a',
        'changed:updated:a',
        'removed:updated:a',
        'added:updated:a',
        'removed:unregistered:a',
        'added:registered:c',
      ]);
      expect(events[1]!.record?.metadata).toEqual({ level: 3 });
      await time.advance(time.ttlMs + time.marginMs);
      await muster.sweep();
      const [expired] = await reader.take(1, 'the expiry', 10_000);
      expect(describeEvent(expired!)).toBe('removed:expired:c');
      expect(
        (await reader.idle(100)).map(describeEvent),
        'events for identities that never matched',
      ).toEqual([]);
      await watch.close();
      expect(await reader.ended()).toBe(true);
    });
  });
}
