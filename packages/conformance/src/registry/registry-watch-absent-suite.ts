// Guarantees (no supports.watch): the documented absence: the slot has no `watch` method, and a
// coordinator on top of it still serves watch from its own writes (local events): a registration
// through that coordinator reaches its watcher as `added`.
import { createMuster, type WatchEvent } from '@muster/core';
import { expect } from 'vitest';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { waitFor } from '../support/wait-for.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

export function registryWatchAbsentSuite(context: RegistrySuiteContext): void {
  context.test(
    'watch (not supported): no watch method; the coordinator falls back to local events',
    async () => {
      await withRegistry(context, async (registry) => {
        expect(registry.watch, 'a registry without supports.watch has no watch()').toBeUndefined();
        const namespace = uniqueNamespace('watch-absent');
        const muster = createMuster({ registry, sweepIntervalMs: 0 });
        try {
          const watch = await muster.watch(namespace, { filter: 'level > 1' });
          const events: WatchEvent[] = [];
          const reading = (async () => {
            for await (const event of watch) events.push(event);
          })();
          await muster.register(namespace, { identity: 'low', metadata: { level: 1 } });
          await muster.register(namespace, { identity: 'high', metadata: { level: 2 } });
          await muster.unregister(namespace, 'high');
          await waitFor(() => events.length >= 2, 'added and removed from local events');
          await watch.close();
          await reading;
          expect(events.map((event) => `${event.type}:${event.reason}:${event.identity}`)).toEqual([
            'added:registered:high',
            'removed:unregistered:high',
          ]);
        } finally {
          await muster.close();
        }
      });
    },
  );
}
