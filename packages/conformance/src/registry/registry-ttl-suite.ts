// Guarantees: an identity whose expiresAt has passed is invisible to get, enumerate, count and
// delete at once, before any sweep; it can be created again as a fresh registration; touch and
// touchMany extend (or clear) the TTL of live identities only; identities without TTL never expire.
// Time is a ManualClock when the adapter takes the caller's clock, short real waits otherwise.
import { nodes } from '@muster/filter';
import { expect } from 'vitest';
import { makeRecord } from '../support/make-record.js';
import { type TimeControl, timeControlFor } from '../support/time-control.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { identities, query } from '../support/walk-enumerate.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

export function registryTtlSuite(context: RegistrySuiteContext): void {
  const { test } = context;
  const time = (): TimeControl => timeControlFor(context.supports.clock);
  const label = context.supports.clock === 'caller' ? 'manual clock' : 'real time';

  test(`ttl (${label}): an expired identity is invisible to every read before any sweep`, async () => {
    await withRegistry(context, async (slot) => {
      const t = time();
      const namespace = uniqueNamespace('ttl');
      const t0 = t.now();
      await slot.put(
        namespace,
        makeRecord('short', { kind: 'ttl' }, t0, t0 + t.ttlMs),
        { mode: 'create' },
        t0,
      );
      await slot.put(namespace, makeRecord('forever', { kind: 'ttl' }, t0), { mode: 'create' }, t0);
      expect(await slot.get(namespace, 'short', t.now())).toBeDefined();
      await t.advance(t.ttlMs + t.marginMs);
      const now = t.now();
      expect(await slot.get(namespace, 'short', now), 'get').toBeUndefined();
      expect(await slot.count(namespace, now), 'count').toBe(1);
      const all = await slot.enumerate(
        namespace,
        query({ totalCount: context.supports.count }),
        now,
      );
      expect(identities(all.items), 'enumerate').toEqual(['forever']);
      if (context.supports.count) expect(all.totalCount, 'totalCount').toBe(1);
      const filtered = await slot.enumerate(
        namespace,
        query({ filter: nodes.eq(['kind'], 'ttl') }),
        now,
      );
      expect(
        identities(filtered.items).filter((id) => id === 'short'),
        'enumerate with a filter',
      ).toEqual([]);
      expect(
        await slot.delete(namespace, 'short', now),
        'delete of an expired identity',
      ).toBeUndefined();
    });
  });

  test(`ttl (${label}): create over an expired identity is a fresh registration`, async () => {
    await withRegistry(context, async (slot) => {
      const t = time();
      const namespace = uniqueNamespace('ttl-recreate');
      const t0 = t.now();
      await slot.put(
        namespace,
        makeRecord('device', { v: 1 }, t0, t0 + t.ttlMs),
        { mode: 'create' },
        t0,
      );
      await t.advance(t.ttlMs + t.marginMs);
      const t1 = t.now();
      const fresh = makeRecord('device', { v: 2 }, t1, t1 + 3_600_000);
      const created = await slot.put(namespace, fresh, { mode: 'create' }, t1);
      expect(created.record).toEqual(fresh);
      expect(created.previous, 'an expired record is not a live one to report').toBeUndefined();
      expect(await slot.get(namespace, 'device', t.now())).toEqual(fresh);
    });
  });

  test(`ttl (${label}): replace over an expired identity does not keep its registeredAt`, async () => {
    await withRegistry(context, async (slot) => {
      const t = time();
      const namespace = uniqueNamespace('ttl-replace');
      const t0 = t.now();
      await slot.put(
        namespace,
        makeRecord('device', { v: 1 }, t0, t0 + t.ttlMs),
        { mode: 'create' },
        t0,
      );
      await t.advance(t.ttlMs + t.marginMs);
      const t1 = t.now();
      const result = await slot.put(
        namespace,
        makeRecord('device', { v: 2 }, t1),
        { mode: 'replace' },
        t1,
      );
      expect(result.record.registeredAt).toBe(t1);
      expect(result.previous).toBeUndefined();
    });
  });

  test(`ttl (${label}): touch extends a live identity past its old expiry`, async () => {
    await withRegistry(context, async (slot) => {
      const t = time();
      const namespace = uniqueNamespace('ttl-touch');
      const t0 = t.now();
      const record = makeRecord('device', { a: 1 }, t0, t0 + t.ttlMs);
      await slot.put(namespace, record, { mode: 'create' }, t0);
      const extended = t0 + 3_600_000;
      const touched = await slot.touch(namespace, 'device', extended, t.now());
      expect(touched).toEqual({ ...record, expiresAt: extended });
      await t.advance(t.ttlMs + t.marginMs);
      expect(await slot.get(namespace, 'device', t.now())).toEqual({
        ...record,
        expiresAt: extended,
      });
      expect(await slot.count(namespace, t.now())).toBe(1);
    });
  });

  test(`ttl (${label}): touch with null removes the TTL`, async () => {
    await withRegistry(context, async (slot) => {
      const t = time();
      const namespace = uniqueNamespace('ttl-touch-null');
      const t0 = t.now();
      await slot.put(namespace, makeRecord('device', {}, t0, t0 + t.ttlMs), { mode: 'create' }, t0);
      expect((await slot.touch(namespace, 'device', null, t.now()))?.expiresAt).toBeNull();
      await t.advance(t.ttlMs + t.marginMs);
      expect((await slot.get(namespace, 'device', t.now()))?.expiresAt).toBeNull();
    });
  });

  test(`ttl (${label}): touch of a missing or expired identity is undefined and revives nothing`, async () => {
    await withRegistry(context, async (slot) => {
      const t = time();
      const namespace = uniqueNamespace('ttl-touch-gone');
      const t0 = t.now();
      await slot.put(namespace, makeRecord('device', {}, t0, t0 + t.ttlMs), { mode: 'create' }, t0);
      expect(await slot.touch(namespace, 'never-registered', t0 + 3_600_000, t0)).toBeUndefined();
      await t.advance(t.ttlMs + t.marginMs);
      expect(await slot.touch(namespace, 'device', t.now() + 3_600_000, t.now())).toBeUndefined();
      expect(await slot.get(namespace, 'device', t.now())).toBeUndefined();
      expect(await slot.get(namespace, 'never-registered', t.now())).toBeUndefined();
    });
  });

  test(`ttl (${label}): touchMany extends live identities and returns the ones that were not live`, async () => {
    await withRegistry(context, async (slot) => {
      const t = time();
      const namespace = uniqueNamespace('ttl-touch-many');
      const t0 = t.now();
      const live = Array.from({ length: 200 }, (_, i) => `live-${i}`);
      const dying = Array.from({ length: 20 }, (_, i) => `dying-${i}`);
      await Promise.all([
        ...live.map((id) =>
          slot.put(namespace, makeRecord(id, {}, t0, t0 + t.ttlMs), { mode: 'create' }, t0),
        ),
        ...dying.map((id) =>
          slot.put(namespace, makeRecord(id, {}, t0, t0 + t.ttlMs), { mode: 'create' }, t0),
        ),
      ]);
      // Extend the live ones now; let the others expire.
      const extended = t0 + 3_600_000;
      const missingNow = await slot.touchMany(
        namespace,
        [...live, 'ghost-1'].map((identity) => ({ identity, expiresAt: extended })),
        t.now(),
      );
      expect([...missingNow]).toEqual(['ghost-1']);
      await t.advance(t.ttlMs + t.marginMs);
      const missingLater = await slot.touchMany(
        namespace,
        [...dying, 'live-0', 'ghost-2'].map((identity) => ({ identity, expiresAt: extended })),
        t.now(),
      );
      expect([...missingLater].sort()).toEqual([...dying, 'ghost-2'].sort());
      expect(await slot.count(namespace, t.now())).toBe(200);
      expect((await slot.get(namespace, 'live-199', t.now()))?.expiresAt).toBe(extended);
      expect(
        await slot.get(namespace, 'dying-0', t.now()),
        'touchMany revived an expired identity',
      ).toBeUndefined();
    });
  });

  test(`ttl (${label}): an identity without TTL never expires`, async () => {
    await withRegistry(context, async (slot) => {
      const t = time();
      const namespace = uniqueNamespace('ttl-none');
      const t0 = t.now();
      const record = makeRecord('forever', {}, t0, null);
      await slot.put(namespace, record, { mode: 'create' }, t0);
      await t.advance(t.kind === 'manual' ? 10 * 365 * 86_400_000 : t.ttlMs + t.marginMs);
      expect(await slot.get(namespace, 'forever', t.now())).toEqual(record);
    });
  });
}
