// Guarantees (every registry): enumerate orders by identity (code point order) by default and on
// request in either direction, and by registeredAt in either direction with identity ascending as
// the tiebreak, across page boundaries.
import type { IdentityRecord, RegistrySlot, SortKey } from '@muster/core';
import { expect } from 'vitest';
import { makeRecord } from '../support/make-record.js';
import { referenceOrder } from '../support/reference-order.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { identities, query, walkEnumerate } from '../support/walk-enumerate.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

/** Identities whose code point order differs from case-insensitive, numeric and locale orders. */
const TRICKY = [
  'b',
  'B',
  'a',
  'A',
  'a1',
  'a10',
  'a2',
  'a-b',
  'a_b',
  'a.b',
  'a~b',
  'Z',
  '0',
  '9',
  '_x',
  '~',
  '-',
  'aa',
  'a'.repeat(40),
];

export async function expectOrder(
  slot: RegistrySlot,
  namespace: string,
  records: readonly IdentityRecord[],
  sort: readonly SortKey[],
  now: number,
  limit = 3,
) {
  const walk = await walkEnumerate(slot, namespace, query({ sort, limit }), now);
  expect(
    identities(walk.records),
    `order for sort ${JSON.stringify(sort)} in pages of ${limit}`,
  ).toEqual(identities(referenceOrder(records, sort)));
}

export function registrySortSuite(context: RegistrySuiteContext): void {
  const { test } = context;

  test('sort: identity order is code point order, ascending by default, and descending on request', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('sort-identity');
      const now = Date.now();
      const records = TRICKY.map((id) => makeRecord(id, {}, now));
      for (const record of records) await slot.put(namespace, record, { mode: 'create' }, now);
      await expectOrder(slot, namespace, records, [], now);
      await expectOrder(
        slot,
        namespace,
        records,
        [{ by: { field: 'identity' }, direction: 'asc' }],
        now,
      );
      await expectOrder(
        slot,
        namespace,
        records,
        [{ by: { field: 'identity' }, direction: 'desc' }],
        now,
      );
      await expectOrder(slot, namespace, records, [], now, 100);
    });
  });

  test('sort: registeredAt in both directions, ties broken by identity ascending', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('sort-registered');
      const now = Date.now();
      const records = TRICKY.map((id, i) => makeRecord(id, {}, now - (i % 4) * 1_000));
      for (const record of records) await slot.put(namespace, record, { mode: 'create' }, now);
      await expectOrder(
        slot,
        namespace,
        records,
        [{ by: { field: 'registeredAt' }, direction: 'asc' }],
        now,
      );
      await expectOrder(
        slot,
        namespace,
        records,
        [{ by: { field: 'registeredAt' }, direction: 'desc' }],
        now,
      );
      await expectOrder(
        slot,
        namespace,
        records,
        [{ by: { field: 'registeredAt' }, direction: 'desc' }],
        now,
        1,
      );
    });
  });
}
