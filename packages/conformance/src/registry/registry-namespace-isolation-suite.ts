// Guarantees: namespaces never see each other's data: the same identity lives independently in
// two namespaces (create, read, enumerate, count, delete, touch, sweep, quota) and both are listed
// by namespaces().
import { expect } from 'vitest';
import { makeRecord } from '../support/make-record.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { identities, query } from '../support/walk-enumerate.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

export function registryNamespaceIsolationSuite(context: RegistrySuiteContext): void {
  context.test(
    'namespaces: the same identity in two namespaces is two independent records',
    async () => {
      await withRegistry(context, async (slot) => {
        const east = uniqueNamespace('east');
        const west = uniqueNamespace('west');
        const now = Date.now();
        const inEast = makeRecord('device-1', { side: 'east' }, now);
        const inWest = makeRecord('device-1', { side: 'west' }, now + 1, now + 3_600_000);
        await slot.put(east, inEast, { mode: 'create' }, now);
        await slot.put(west, inWest, { mode: 'create', quota: 1 }, now + 1);
        await slot.put(
          east,
          makeRecord('device-2', { side: 'east' }, now),
          { mode: 'create', quota: 2 },
          now,
        );
        expect(await slot.get(east, 'device-1', now + 1)).toEqual(inEast);
        expect(await slot.get(west, 'device-1', now + 1)).toEqual(inWest);
        expect(await slot.count(east, now + 1)).toBe(2);
        expect(await slot.count(west, now + 1)).toBe(1);
        expect(identities((await slot.enumerate(west, query(), now + 1)).items)).toEqual([
          'device-1',
        ]);
        expect(await slot.namespaces()).toEqual(expect.arrayContaining([east, west]));

        await slot.touch(east, 'device-1', now + 1_800_000, now + 1);
        expect((await slot.get(west, 'device-1', now + 1))?.expiresAt).toBe(now + 3_600_000);
        await slot.put(east, makeRecord('short', {}, now, now + 1), { mode: 'create' }, now);
        const later = Math.max(now + 2, Date.now() + 2);
        expect(
          await slot.sweep(west, later, 100),
          'a sweep of one namespace takes nothing from another',
        ).toEqual([]);
        if (context.supports.ttl === 'sweep')
          expect(identities(await slot.sweep(east, later, 100))).toEqual(['short']);
        expect(await slot.delete(east, 'device-1', now + 1)).toBeDefined();
        expect(await slot.get(west, 'device-1', now + 1)).toEqual(inWest);
        expect(await slot.get(uniqueNamespace('other'), 'device-1', now + 1)).toBeUndefined();
      });
    },
  );
}
