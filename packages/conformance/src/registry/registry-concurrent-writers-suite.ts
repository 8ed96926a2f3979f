// Guarantees: concurrent writers are safe: 50 concurrent creates of distinct identities all
// succeed and are all counted; 50 concurrent creates of one identity admit exactly one; 50
// concurrent replaces of one identity leave exactly one of the written records.
import { expect } from 'vitest';
import { makeRecord } from '../support/make-record.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { identities, query, walkEnumerate } from '../support/walk-enumerate.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

const WRITERS = 50;

export function registryConcurrentWritersSuite(context: RegistrySuiteContext): void {
  const { test } = context;

  test('concurrency: 50 concurrent writers of distinct identities all succeed', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('writers');
      const now = Date.now();
      const ids = Array.from({ length: WRITERS }, (_, i) => `writer-${String(i).padStart(2, '0')}`);
      const results = await Promise.all(
        ids.map((id, i) =>
          slot.put(namespace, makeRecord(id, { i }, now), { mode: 'create' }, now),
        ),
      );
      expect(results.map((result) => result.record.identity)).toEqual(ids);
      expect(await slot.count(namespace, now)).toBe(WRITERS);
      const walk = await walkEnumerate(slot, namespace, query({ limit: 7 }), now);
      expect(identities(walk.records)).toEqual(ids);
    });
  });

  test('concurrency: 50 concurrent creates of one identity admit exactly one', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('writers-same');
      const now = Date.now();
      const outcomes = await Promise.allSettled(
        Array.from({ length: WRITERS }, (_, i) =>
          slot.put(namespace, makeRecord('contended', { writer: i }, now), { mode: 'create' }, now),
        ),
      );
      const winners = outcomes.flatMap((outcome) =>
        outcome.status === 'fulfilled' ? [outcome.value] : [],
      );
      const losers = outcomes.filter(
        (outcome) =>
          outcome.status === 'rejected' &&
          (outcome.reason as { code?: string }).code === 'ALREADY_EXISTS',
      );
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(WRITERS - 1);
      expect(await slot.get(namespace, 'contended', now)).toEqual(winners[0]!.record);
    });
  });

  test('concurrency: 50 concurrent replaces of one identity leave one of the written records', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('writers-replace');
      const now = Date.now();
      await Promise.all(
        Array.from({ length: WRITERS }, (_, i) =>
          slot.put(
            namespace,
            makeRecord('contended', { writer: i }, now),
            { mode: 'replace' },
            now,
          ),
        ),
      );
      const final = await slot.get(namespace, 'contended', now);
      expect(final?.metadata.writer).toBeTypeOf('number');
      expect(await slot.count(namespace, now)).toBe(1);
    });
  });
}
