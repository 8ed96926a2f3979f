// Guarantees (supports.count): a page asked for `totalCount` carries the number of matching live
// identities, exact even when the page itself is a superset, whatever the limit and the page.
import { compile, nodes } from '@muster/filter';
import { expect } from 'vitest';
import { makeRecord } from '../support/make-record.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { query } from '../support/walk-enumerate.js';
import { paginationRecords, storeAll } from './registry-pagination-suite.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

export function registryCountSuite(context: RegistrySuiteContext): void {
  const { test } = context;

  test('total count: matches the filter, whatever the limit, on the first and later pages', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('count');
      const now = Date.now();
      const records = paginationRecords(now).slice(0, 250);
      await storeAll(slot, namespace, records, now);
      for (const filter of [
        nodes.all(),
        nodes.eq(['group'], 2),
        nodes.range('gt', ['score'], 90),
        nodes.eq(['group'], 7),
      ]) {
        const matches = compile(filter);
        const expected = records.filter((r) => matches(r.metadata)).length;
        const first = await slot.enumerate(
          namespace,
          query({ filter, limit: 10, totalCount: true }),
          now,
        );
        expect(first.totalCount, `totalCount of ${JSON.stringify(filter)}`).toBe(expected);
        if (first.nextCursor !== undefined) {
          const second = await slot.enumerate(
            namespace,
            query({ filter, limit: 10, totalCount: true, cursor: first.nextCursor }),
            now,
          );
          if (second.totalCount !== undefined) expect(second.totalCount).toBe(expected);
        }
      }
    });
  });

  test('total count: counts live identities only', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('count-live');
      const now = Date.now();
      await slot.put(namespace, makeRecord('a', {}, now), { mode: 'create' }, now);
      await slot.put(namespace, makeRecord('b', {}, now), { mode: 'create' }, now);
      await slot.delete(namespace, 'b', now);
      const page = await slot.enumerate(namespace, query({ totalCount: true, limit: 1 }), now);
      expect(page.totalCount).toBe(1);
    });
  });
}
