// Guarantees (supports.quota): put enforces `quota` atomically: creating one live identity more
// than the quota fails with QUOTA_EXCEEDED, replacing an existing identity does not count, deleted
// and expired identities free their place, and 50 concurrent creates never overshoot.
import { expect } from 'vitest';
import { expectMusterError } from '../support/expect-muster-error.js';
import { makeRecord } from '../support/make-record.js';
import { timeControlFor } from '../support/time-control.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

export function registryQuotaSuite(context: RegistrySuiteContext): void {
  const { test } = context;

  test('quota: creating beyond the quota fails with QUOTA_EXCEEDED', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('quota');
      const now = Date.now();
      for (let i = 0; i < 3; i++)
        await slot.put(
          namespace,
          makeRecord(`id-${i}`, {}, now),
          { mode: 'create', quota: 3 },
          now,
        );
      await expectMusterError(
        slot.put(namespace, makeRecord('id-3', {}, now), { mode: 'create', quota: 3 }, now),
        'QUOTA_EXCEEDED',
        'the fourth create with quota 3',
      );
      await expectMusterError(
        slot.put(namespace, makeRecord('id-4', {}, now), { mode: 'replace', quota: 3 }, now),
        'QUOTA_EXCEEDED',
        'a replace that would create a fourth identity',
      );
      expect(await slot.count(namespace, now)).toBe(3);
      expect(await slot.get(namespace, 'id-3', now)).toBeUndefined();
    });
  });

  test('quota: replacing an existing identity at the quota succeeds', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('quota-replace');
      const now = Date.now();
      for (let i = 0; i < 2; i++)
        await slot.put(
          namespace,
          makeRecord(`id-${i}`, {}, now),
          { mode: 'create', quota: 2 },
          now,
        );
      const result = await slot.put(
        namespace,
        makeRecord('id-1', { v: 2 }, now + 1),
        { mode: 'replace', quota: 2 },
        now + 1,
      );
      expect(result.record.metadata).toEqual({ v: 2 });
      expect(await slot.count(namespace, now + 1)).toBe(2);
    });
  });

  test('quota: a deleted identity frees its place', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('quota-delete');
      const now = Date.now();
      await slot.put(namespace, makeRecord('a', {}, now), { mode: 'create', quota: 1 }, now);
      await slot.delete(namespace, 'a', now);
      await slot.put(namespace, makeRecord('b', {}, now), { mode: 'create', quota: 1 }, now);
      expect(await slot.count(namespace, now)).toBe(1);
    });
  });

  test('quota: expired identities do not count', async () => {
    await withRegistry(context, async (slot) => {
      const t = timeControlFor(context.supports.clock);
      const namespace = uniqueNamespace('quota-expired');
      const t0 = t.now();
      await slot.put(
        namespace,
        makeRecord('old', {}, t0, t0 + t.ttlMs),
        { mode: 'create', quota: 1 },
        t0,
      );
      await t.advance(t.ttlMs + t.marginMs);
      const t1 = t.now();
      await slot.put(namespace, makeRecord('new', {}, t1), { mode: 'create', quota: 1 }, t1);
      expect(await slot.count(namespace, t.now())).toBe(1);
    });
  });

  test('quota: 50 concurrent creates with quota 20 admit exactly 20', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('quota-concurrent');
      const now = Date.now();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          slot.put(
            namespace,
            makeRecord(`writer-${i}`, { i }, now),
            { mode: 'create', quota: 20 },
            now,
          ),
        ),
      );
      const admitted = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
      const refused = outcomes.filter(
        (outcome) =>
          outcome.status === 'rejected' &&
          (outcome.reason as { code?: string }).code === 'QUOTA_EXCEEDED',
      ).length;
      expect(admitted).toBe(20);
      expect(refused).toBe(30);
      expect(await slot.count(namespace, now)).toBe(20);
    });
  });
}
