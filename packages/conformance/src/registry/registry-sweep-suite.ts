// Guarantees: sweep removes identities whose TTL has passed and returns each of them exactly once,
// never a live one, at most `limit` per call, even when several sweepers run at the same time.
// (Under `ttl: 'native'` the backend may remove expired entries itself: then a sweep returns a
// subset of them, still never twice and never a live one.)
import type { IdentityRecord, RegistrySlot } from '@muster/core';
import { expect } from 'vitest';
import { makeRecord } from '../support/make-record.js';
import { type TimeControl, timeControlFor } from '../support/time-control.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { expectNoDuplicates, identities } from '../support/walk-enumerate.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

export function registrySweepSuite(context: RegistrySuiteContext): void {
  const { test } = context;
  const time = (): TimeControl => timeControlFor(context.supports.clock);
  const sweepsEverything = context.supports.ttl === 'sweep';

  /** Registers `expiring` identities with the short TTL and `live` ones without, then lets the TTL pass. */
  async function prepare(
    slot: RegistrySlot,
    t: TimeControl,
    namespace: string,
    expiring: number,
    live: number,
  ) {
    const t0 = t.now();
    const expiringIds = Array.from(
      { length: expiring },
      (_, i) => `exp-${String(i).padStart(3, '0')}`,
    );
    const liveIds = Array.from({ length: live }, (_, i) => `live-${i}`);
    await Promise.all([
      ...expiringIds.map((id) =>
        slot.put(namespace, makeRecord(id, { n: id }, t0, t0 + t.ttlMs), { mode: 'create' }, t0),
      ),
      ...liveIds.map((id) => slot.put(namespace, makeRecord(id, {}, t0), { mode: 'create' }, t0)),
    ]);
    await t.advance(t.ttlMs + t.marginMs);
    return { expiringIds, liveIds };
  }

  function expectSwept(
    swept: readonly IdentityRecord[],
    expiringIds: readonly string[],
    what: string,
  ) {
    const ids = identities(swept);
    expectNoDuplicates(ids, what);
    const expiring = new Set(expiringIds);
    expect(
      ids.filter((id) => !expiring.has(id)),
      `${what}: only expired identities`,
    ).toEqual([]);
    if (sweepsEverything)
      expect([...ids].sort(), `${what}: every expired identity`).toEqual([...expiringIds].sort());
  }

  test('sweep: returns every expired identity once, with its record, and leaves live ones', async () => {
    await withRegistry(context, async (slot) => {
      const t = time();
      const namespace = uniqueNamespace('sweep');
      const { expiringIds } = await prepare(slot, t, namespace, 30, 10);
      const swept = await slot.sweep(namespace, t.now(), 1_000);
      expectSwept(swept, expiringIds, 'one sweep');
      for (const record of swept) {
        expect(record.metadata).toEqual({ n: record.identity });
        expect(record.expiresAt).not.toBeNull();
      }
      expect(await slot.sweep(namespace, t.now(), 1_000), 'a second sweep').toEqual([]);
      expect(await slot.count(namespace, t.now())).toBe(10);
      expect(await slot.get(namespace, 'live-9', t.now())).toBeDefined();
    });
  });

  test('sweep: returns at most `limit` records per call', async () => {
    await withRegistry(context, async (slot) => {
      const t = time();
      const namespace = uniqueNamespace('sweep-limit');
      const { expiringIds } = await prepare(slot, t, namespace, 10, 2);
      const all: IdentityRecord[] = [];
      for (let round = 0; round < 20; round++) {
        const swept = await slot.sweep(namespace, t.now(), 3);
        expect(swept.length).toBeLessThanOrEqual(3);
        if (swept.length === 0) break;
        all.push(...swept);
      }
      expectSwept(all, expiringIds, 'sweeps of 3');
    });
  });

  test('sweep: two concurrent sweepers return each expired identity exactly once', async () => {
    await withRegistry(context, async (slot) => {
      const t = time();
      const namespace = uniqueNamespace('sweep-concurrent');
      const { expiringIds } = await prepare(slot, t, namespace, 100, 5);
      const [first, second] = await Promise.all([
        slot.sweep(namespace, t.now(), 1_000),
        slot.sweep(namespace, t.now(), 1_000),
      ]);
      expectSwept([...first!, ...second!], expiringIds, 'two concurrent sweeps');
    });
  });

  test('sweep: concurrent sweepers with small limits still return each identity exactly once', async () => {
    await withRegistry(context, async (slot) => {
      const t = time();
      const namespace = uniqueNamespace('sweep-concurrent-limit');
      const { expiringIds } = await prepare(slot, t, namespace, 60, 5);
      const all: IdentityRecord[] = [];
      for (let round = 0; round < 100; round++) {
        const batches = await Promise.all([1, 2, 3].map(() => slot.sweep(namespace, t.now(), 7)));
        for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(7);
        const swept = batches.flat();
        if (swept.length === 0) break;
        all.push(...swept);
      }
      expectSwept(all, expiringIds, 'three concurrent sweepers of 7');
    });
  });

  test('sweep: with nothing expired it returns nothing and removes nothing', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('sweep-nothing');
      const now = Date.now();
      await slot.put(namespace, makeRecord('a', {}, now, now + 3_600_000), { mode: 'create' }, now);
      await slot.put(namespace, makeRecord('b', {}, now), { mode: 'create' }, now);
      expect(await slot.sweep(namespace, now, 1_000)).toEqual([]);
      expect(await slot.sweep(uniqueNamespace('sweep-empty'), now, 1_000)).toEqual([]);
      expect(await slot.count(namespace, now)).toBe(2);
    });
  });
}
