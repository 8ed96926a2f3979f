// Guarantees: put (replace) of a live identity swaps its metadata and TTL, keeps its
// registeredAt, and returns the record it replaced; put (replace) of a missing identity creates it.
import { expect } from 'vitest';
import { makeRecord } from '../support/make-record.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

export function registryReplaceSuite(context: RegistrySuiteContext): void {
  const { test } = context;

  test('replace: a live identity gets the new metadata and TTL and keeps registeredAt', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('replace');
      const t0 = Date.now();
      const original = makeRecord('device-1', { status: 'online', v: 1 }, t0, t0 + 3_600_000);
      await slot.put(namespace, original, { mode: 'create' }, t0);
      const t1 = t0 + 10;
      const replacement = makeRecord('device-1', { status: 'away' }, t1, t1 + 7_200_000);
      const result = await slot.put(namespace, replacement, { mode: 'replace' }, t1);
      const expected = { ...replacement, registeredAt: t0 };
      expect(result.record).toEqual(expected);
      expect(result.previous).toEqual(original);
      expect(await slot.get(namespace, 'device-1', t1)).toEqual(expected);
      expect(await slot.count(namespace, t1)).toBe(1);
    });
  });

  test('replace: can remove a TTL (expiresAt null)', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('replace-ttl');
      const t0 = Date.now();
      await slot.put(
        namespace,
        makeRecord('device-1', {}, t0, t0 + 3_600_000),
        { mode: 'create' },
        t0,
      );
      const result = await slot.put(
        namespace,
        makeRecord('device-1', { x: 1 }, t0 + 1, null),
        { mode: 'replace' },
        t0 + 1,
      );
      expect(result.record.expiresAt).toBeNull();
      expect((await slot.get(namespace, 'device-1', t0 + 1))?.expiresAt).toBeNull();
    });
  });

  test('replace: a missing identity is created, replacing nothing', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('replace-missing');
      const now = Date.now();
      const record = makeRecord('device-9', { fresh: true }, now);
      const result = await slot.put(namespace, record, { mode: 'replace' }, now);
      expect(result.record).toEqual(record);
      expect(result.previous).toBeUndefined();
      expect(await slot.get(namespace, 'device-9', now)).toEqual(record);
    });
  });

  test('replace: successive replaces each return the record before them', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('replace-chain');
      const t0 = Date.now();
      await slot.put(namespace, makeRecord('x', { v: 0 }, t0), { mode: 'create' }, t0);
      for (let v = 1; v <= 5; v++) {
        const result = await slot.put(
          namespace,
          makeRecord('x', { v }, t0 + v),
          { mode: 'replace' },
          t0 + v,
        );
        expect(result.previous?.metadata).toEqual({ v: v - 1 });
        expect(result.previous?.updatedAt).toBe(t0 + v - 1);
        expect(result.record.registeredAt).toBe(t0);
        expect(result.record.updatedAt).toBe(t0 + v);
      }
    });
  });
}
