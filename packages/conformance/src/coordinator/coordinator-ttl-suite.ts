// Guarantees (through createMuster): an identity past its TTL is NOT_FOUND and gone from
// enumerate at once, before a sweep; heartbeat extends a live identity (NOT_FOUND once gone);
// heartbeatMany extends many in one call and lists the missing; sweep() removes expired identities
// and reports how many.
import { expect } from 'vitest';
import { expectMusterError } from '../support/expect-muster-error.js';
import { type CoordinatorSuiteContext, withCoordinators } from './coordinator-suite-context.js';

export function coordinatorTtlSuite(context: CoordinatorSuiteContext): void {
  const { test } = context;

  test('coordinator ttl: expired identities vanish at once; sweep removes and counts them', async () => {
    await withCoordinators(context, { label: 'c-ttl' }, async ({ muster, namespace, time }) => {
      await muster.register(namespace, { identity: 'short', ttlMs: time.ttlMs });
      await muster.register(namespace, { identity: 'long', ttlMs: time.ttlMs * 100 });
      await muster.register(namespace, { identity: 'forever' });
      await time.advance(time.ttlMs + time.marginMs);
      await expectMusterError(
        muster.get(namespace, 'short'),
        'NOT_FOUND',
        'get of an expired identity',
      );
      const page = await muster.enumerate(namespace);
      expect(page.identities.map((r) => r.identity)).toEqual(['forever', 'long']);
      const swept = await muster.sweep();
      if (context.supports.registry.ttl === 'sweep') expect(swept).toBe(1);
      expect(await muster.sweep()).toBe(0);
    });
  });

  test('coordinator heartbeat: extends a live identity; NOT_FOUND once it is gone', async () => {
    await withCoordinators(
      context,
      { label: 'c-heartbeat' },
      async ({ muster, namespace, time }) => {
        await muster.register(namespace, { identity: 'device', ttlMs: time.ttlMs });
        const beat = await muster.heartbeat(namespace, 'device', { ttlMs: time.ttlMs * 100 });
        expect(beat.identity).toBe('device');
        expect(beat.expiresAt).toBeGreaterThan(time.now() + time.ttlMs);
        await time.advance(time.ttlMs + time.marginMs);
        expect((await muster.get(namespace, 'device')).identity).toBe('device');
        await expectMusterError(
          muster.heartbeat(namespace, 'never'),
          'NOT_FOUND',
          'heartbeat of an unknown identity',
        );
        await muster.unregister(namespace, 'device');
        await expectMusterError(
          muster.heartbeat(namespace, 'device'),
          'NOT_FOUND',
          'heartbeat after unregister',
        );
      },
    );
  });

  test('coordinator heartbeatMany: extends many in one call and lists the missing', async () => {
    await withCoordinators(
      context,
      { label: 'c-heartbeat-many' },
      async ({ muster, namespace, time }) => {
        const ids = Array.from({ length: 100 }, (_, i) => `device-${i}`);
        for (const identity of ids)
          await muster.register(namespace, { identity, ttlMs: time.ttlMs });
        const { missing } = await muster.heartbeatMany(namespace, [...ids, 'ghost'], {
          ttlMs: time.ttlMs * 100,
        });
        expect([...missing]).toEqual(['ghost']);
        await time.advance(time.ttlMs + time.marginMs);
        expect((await muster.enumerate(namespace, { limit: 1000 })).identities).toHaveLength(100);
      },
    );
  });
}
