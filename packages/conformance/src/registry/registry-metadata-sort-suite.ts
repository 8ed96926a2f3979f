// Guarantees (supports.sort): enumerate sorts by metadata paths in the documented total order
// (missing < null < false < true < numbers < strings by code point < arrays and objects, which tie),
// in either direction, with several keys, identity ascending breaking every tie, across pages.
import type { IdentityRecord, SortKey } from '@muster/core';
import { makeRecord } from '../support/make-record.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { expectOrder } from './registry-sort-suite.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

/** One record per interesting value of `v` (and `loc.floor`), some values twice to force ties. */
export function mixedRecords(now: number): IdentityRecord[] {
  const values: unknown[] = [
    null,
    false,
    true,
    -1,
    0,
    0,
    2.5,
    10,
    1e21,
    -1e21,
    '',
    'a',
    'A',
    'b',
    'é',
    '\uffff',
    '😀',
    'a😀',
    'a\uffff',
    [1],
    [],
    { x: 1 },
    {},
    'zz',
    true,
    null,
  ];
  const records = values.map((v, i) =>
    makeRecord(
      `v${String(i).padStart(2, '0')}`,
      { v, group: i % 3, loc: i % 4 === 0 ? 5 : { floor: (i * 7) % 5 } },
      now,
    ),
  );
  records.push(
    makeRecord('missing-1', { group: 0 }, now),
    makeRecord('missing-0', { group: 1, loc: {} }, now),
  );
  return records;
}

export function registryMetadataSortSuite(context: RegistrySuiteContext): void {
  const { test } = context;
  const asc = (path: string[]): SortKey => ({ by: { path }, direction: 'asc' });
  const desc = (path: string[]): SortKey => ({ by: { path }, direction: 'desc' });

  test('metadata sort: mixed types in the documented order, ascending and descending', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('sort-mixed');
      const now = Date.now();
      const records = mixedRecords(now);
      for (const record of records) await slot.put(namespace, record, { mode: 'create' }, now);
      await expectOrder(slot, namespace, records, [asc(['v'])], now, 100);
      await expectOrder(slot, namespace, records, [desc(['v'])], now, 100);
      await expectOrder(slot, namespace, records, [asc(['v'])], now, 4);
      await expectOrder(slot, namespace, records, [desc(['v'])], now, 4);
    });
  });

  test('metadata sort: nested paths (a non-object on the way is missing)', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('sort-nested');
      const now = Date.now();
      const records = mixedRecords(now);
      for (const record of records) await slot.put(namespace, record, { mode: 'create' }, now);
      await expectOrder(slot, namespace, records, [asc(['loc', 'floor'])], now, 5);
      await expectOrder(slot, namespace, records, [desc(['loc', 'floor'])], now, 5);
    });
  });

  test('metadata sort: several keys, mixed with registeredAt', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('sort-keys');
      const now = Date.now();
      const records = mixedRecords(now).map((record, i) => ({
        ...record,
        registeredAt: now - (i % 5),
      }));
      for (const record of records) await slot.put(namespace, record, { mode: 'create' }, now);
      await expectOrder(slot, namespace, records, [asc(['group']), desc(['v'])], now, 3);
      await expectOrder(
        slot,
        namespace,
        records,
        [desc(['group']), { by: { field: 'registeredAt' }, direction: 'asc' }],
        now,
        6,
      );
    });
  });
}
