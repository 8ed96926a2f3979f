// Guarantees: cursor pagination is stable: a walk over ~1,000 identities with any page size (1, 7,
// 100), with or without a filter and with any sort, returns every matching identity exactly once
// and in order; no page exceeds its limit; identities order by code point; a walk stays sane (no
// duplicates, nothing untouched missed) when identities come and go between pages; a malformed
// cursor is INVALID_ARGUMENT.
import type { IdentityRecord, RegistrySlot, SortKey } from '@muster/core';
import { compile, type FilterNode, nodes } from '@muster/filter';
import { expect } from 'vitest';
import { expectMusterError } from '../support/expect-muster-error.js';
import { makeRecord } from '../support/make-record.js';
import { referenceOrder } from '../support/reference-order.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { expectNoDuplicates, identities, query, walkEnumerate } from '../support/walk-enumerate.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

const SIZE = 1_000;
/** First characters spread over the safe identity alphabet, so code point order is exercised. */
const PREFIXES = ['A', 'a', 'Z', 'z', '0', '9', '_', '-', '.', '~', ':', '@', '+', '=', '/'];

/** ~1,000 records; registeredAt has ties (broken by identity) and differs from identity order. */
export function paginationRecords(now: number): IdentityRecord[] {
  return Array.from({ length: SIZE }, (_, i) =>
    makeRecord(
      `${PREFIXES[i % PREFIXES.length]}${(i * 7919) % 10_007}`,
      { i, group: i % 3, score: (i * 37) % 101 },
      now + (i % 250),
    ),
  );
}

export async function storeAll(
  slot: RegistrySlot,
  namespace: string,
  records: readonly IdentityRecord[],
  now: number,
) {
  for (let start = 0; start < records.length; start += 100) {
    await Promise.all(
      records
        .slice(start, start + 100)
        .map((record) => slot.put(namespace, record, { mode: 'create' }, now)),
    );
  }
}

export function registryPaginationSuite(context: RegistrySuiteContext): void {
  const { test, supports } = context;
  const GROUP_ONE: FilterNode = nodes.eq(['group'], 1);

  /** Walks and checks: exactly the expected identities, in the expected order. */
  async function expectWalk(
    slot: RegistrySlot,
    namespace: string,
    records: readonly IdentityRecord[],
    now: number,
    limit: number,
    filter: FilterNode,
    sort: readonly SortKey[],
  ) {
    const matches = compile(filter);
    const expected = identities(
      referenceOrder(
        records.filter((r) => matches(r.metadata)),
        sort,
      ),
    );
    const walk = await walkEnumerate(slot, namespace, query({ filter, limit, sort }), now);
    const what = `walk with limit ${limit}, filter ${JSON.stringify(filter)}, sort ${JSON.stringify(sort)}`;
    const got = identities(
      walk.exact ? walk.records : walk.records.filter((r) => matches(r.metadata)),
    );
    if (supports.filter === 'exact')
      expect(walk.exact, `${what}: pages of an exact filter say exact`).toBe(true);
    expectNoDuplicates(got, what);
    expect(got, what).toEqual(expected);
  }

  for (const limit of [1, 7, 100]) {
    test(`pagination: walks with page size ${limit} return every match exactly once, in identity order`, async () => {
      await withRegistry(context, async (slot) => {
        const namespace = uniqueNamespace(`pages-${limit}`);
        const now = Date.now();
        const records = paginationRecords(now);
        await storeAll(slot, namespace, records, now);
        await expectWalk(slot, namespace, records, now + 1_000, limit, nodes.all(), []);
        await expectWalk(slot, namespace, records, now + 1_000, limit, GROUP_ONE, []);
      });
    });
  }

  test('pagination: walks in registeredAt order (ties broken by identity), both directions', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('pages-registered');
      const now = Date.now();
      const records = paginationRecords(now);
      await storeAll(slot, namespace, records, now);
      for (const direction of ['asc', 'desc'] as const) {
        const sort: SortKey[] = [{ by: { field: 'registeredAt' }, direction }];
        await expectWalk(slot, namespace, records, now + 1_000, 7, nodes.all(), sort);
        await expectWalk(slot, namespace, records, now + 1_000, 100, GROUP_ONE, sort);
      }
      await expectWalk(slot, namespace, records, now + 1_000, 7, nodes.all(), [
        { by: { field: 'identity' }, direction: 'desc' },
      ]);
    });
  });

  if (supports.sort) {
    test('pagination: walks in metadata order with page sizes 1, 7 and 100', async () => {
      await withRegistry(context, async (slot) => {
        const namespace = uniqueNamespace('pages-metadata');
        const now = Date.now();
        const records = paginationRecords(now);
        await storeAll(slot, namespace, records, now);
        const byScoreDesc: SortKey[] = [{ by: { path: ['score'] }, direction: 'desc' }];
        const byGroupThenScore: SortKey[] = [
          { by: { path: ['group'] }, direction: 'asc' },
          { by: { path: ['score'] }, direction: 'desc' },
        ];
        await expectWalk(slot, namespace, records, now + 1_000, 1, GROUP_ONE, byScoreDesc);
        await expectWalk(slot, namespace, records, now + 1_000, 7, nodes.all(), byGroupThenScore);
        await expectWalk(slot, namespace, records, now + 1_000, 100, nodes.all(), byScoreDesc);
      });
    });
  }

  test('pagination: a limit above the number of matches gives everything in one walk', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('pages-small');
      const now = Date.now();
      const records = paginationRecords(now).slice(0, 5);
      await storeAll(slot, namespace, records, now);
      const first = await slot.enumerate(namespace, query({ limit: 100 }), now);
      expect(identities(first.items)).toEqual(identities(referenceOrder(records, [])));
      if (first.nextCursor !== undefined) {
        const next = await slot.enumerate(
          namespace,
          query({ limit: 100, cursor: first.nextCursor }),
          now,
        );
        expect(next.items, 'the page after the last item').toEqual([]);
      }
      const empty = await slot.enumerate(uniqueNamespace('pages-empty'), query(), now);
      expect(empty.items).toEqual([]);
      expect(empty.nextCursor).toBeUndefined();
    });
  });

  test('pagination: a walk stays sane when identities come and go between pages', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('pages-changing');
      const now = Date.now();
      const records = paginationRecords(now).slice(0, 300);
      await storeAll(slot, namespace, records, now);
      const ordered = identities(referenceOrder(records, []));
      const deleted = new Set<string>();
      const added: string[] = [];
      const walk = await walkEnumerate(slot, namespace, query({ limit: 10 }), now, async (page) => {
        // Remove an identity far ahead of the cursor and one already seen; add two new ones.
        const ahead = ordered[Math.min(ordered.length - 1, page * 10 + 50)]!;
        const behind = ordered[Math.max(0, page * 10 - 5)]!;
        for (const id of [ahead, behind]) {
          if (!deleted.has(id)) {
            deleted.add(id);
            await slot.delete(namespace, id, now);
          }
        }
        const fresh = `new-${page}`;
        added.push(fresh);
        await slot.put(namespace, makeRecord(fresh, {}, now), { mode: 'create' }, now);
      });
      const seen = identities(walk.records);
      expectNoDuplicates(seen, 'a walk under changes');
      const seenSet = new Set(seen);
      const untouched = ordered.filter((id) => !deleted.has(id));
      expect(
        untouched.filter((id) => !seenSet.has(id)),
        'untouched identities missed by the walk',
      ).toEqual([]);
      const knownIds = new Set([...ordered, ...added]);
      expect(
        seen.filter((id) => !knownIds.has(id)),
        'identities that never existed',
      ).toEqual([]);
    });
  });

  test('pagination: a malformed cursor is INVALID_ARGUMENT', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('pages-cursor');
      const now = Date.now();
      await storeAll(slot, namespace, paginationRecords(now).slice(0, 20), now);
      for (const cursor of ['not a cursor!', '%%%', '{"identity":', '\u0000']) {
        await expectMusterError(
          slot.enumerate(namespace, query({ limit: 5, cursor }), now),
          'INVALID_ARGUMENT',
          `enumerate with the cursor ${JSON.stringify(cursor)}`,
        );
      }
    });
  });
}
