import type { EnumerateQuery, IdentityRecord, RegistrySlot } from '@muster/core';
import { nodes } from '@muster/filter';
import { expect } from 'vitest';

export interface Walk {
  /** Every item of every page, in order, as the slot returned them (not refined). */
  readonly records: readonly IdentityRecord[];
  readonly pages: number;
  /** Whether every page said `exact: true`. */
  readonly exact: boolean;
  /** The `totalCount` of each page (undefined where a page carried none). */
  readonly totalCounts: readonly (number | undefined)[];
}

export type WalkQuery = Omit<EnumerateQuery, 'cursor'>;

/** The query defaults the suites use: everything, identity order, with metadata, no count. */
export function query(overrides: Partial<EnumerateQuery> = {}): EnumerateQuery {
  return {
    filter: nodes.all(),
    limit: 100,
    sort: [],
    includeMetadata: true,
    totalCount: false,
    ...overrides,
  };
}

/**
 * Follows `nextCursor` until it is absent, checking that no page exceeds the limit. `between`
 * runs after each page (to change the registry mid-walk). Fails rather than loop forever.
 */
export async function walkEnumerate(
  slot: RegistrySlot,
  namespace: string,
  walkQuery: WalkQuery,
  now: number | (() => number),
  between?: (page: number) => Promise<void>,
): Promise<Walk> {
  const records: IdentityRecord[] = [];
  const totalCounts: (number | undefined)[] = [];
  let cursor: string | undefined;
  let exact = true;
  let pages = 0;
  const maxPages = 20_000;
  do {
    const at = typeof now === 'function' ? now() : now;
    const page = await slot.enumerate(
      namespace,
      cursor === undefined ? walkQuery : { ...walkQuery, cursor },
      at,
    );
    pages++;
    expect(
      page.items.length,
      `a page holds at most limit (${walkQuery.limit}) items`,
    ).toBeLessThanOrEqual(walkQuery.limit);
    records.push(...page.items);
    totalCounts.push(page.totalCount);
    if (!page.exact) exact = false;
    if (page.nextCursor !== undefined) {
      expect(typeof page.nextCursor, 'nextCursor is a string').toBe('string');
      expect(page.nextCursor, 'nextCursor changes from page to page').not.toBe(cursor);
    }
    cursor = page.nextCursor;
    if (pages > maxPages) throw new Error(`the walk did not end after ${maxPages} pages`);
    if (cursor !== undefined) await between?.(pages);
  } while (cursor !== undefined);
  return { records, pages, exact, totalCounts };
}

/** The identities of records, in order. */
export function identities(records: readonly IdentityRecord[]): string[] {
  return records.map((record) => record.identity);
}

/** Asserts that no identity appears twice. */
export function expectNoDuplicates(ids: readonly string[], what: string): void {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const id of ids) {
    if (seen.has(id)) duplicates.push(id);
    seen.add(id);
  }
  expect(duplicates, `${what}: identities returned more than once`).toEqual([]);
}
