import type { FilterNode } from '@muster/filter';
import { MusterError } from '../errors/muster-error.js';
import { filterPredicate } from '../filter-support/filter-predicate.js';
import type { IdentityRecord } from '../slots/identity-record.js';
import type {
  EnumeratePage,
  EnumerateQuery,
  RegistrySlot,
  SortKey,
} from '../slots/registry-slot.js';
import type { EnumerateResult } from './muster-api.js';
import { slotError } from './slot-error.js';

export interface PageRequest {
  readonly filter: FilterNode;
  readonly limit: number;
  readonly cursor: string | undefined;
  readonly sort: readonly SortKey[];
  readonly includeMetadata: boolean;
  readonly totalCount: boolean;
}

const NO_METADATA = Object.freeze({});

/**
 * One page of an enumerate. A registry that filters exactly answers in one call. Otherwise
 * (`supports.filter` 'partial' or 'none', pages with `exact: false`) the items are re-checked with
 * the reference predicate and more pages are read until the limit is filled or the walk ends;
 * metadata is fetched for the check even when the caller does not want it. When the limit fills
 * in the middle of a registry page, the registry is asked once more for exactly the items up to
 * the last one returned, so the cursor continues right after it (cursors stay opaque).
 * `maxFetch` bounds each registry call (the namespace's largest page).
 */
export async function readPage(
  registry: RegistrySlot,
  namespace: string,
  request: PageRequest,
  now: number,
  maxFetch: number,
): Promise<EnumerateResult> {
  const { filter, limit } = request;
  if (registry.supports.filter === 'exact' || filter.kind === 'all') {
    const page = await enumerate(registry, namespace, request, request.cursor, limit, now);
    if (page.exact !== false) return result(page.items, page.nextCursor, page.totalCount);
  }
  const predicate = filterPredicate(filter);
  const out: IdentityRecord[] = [];
  let cursor = request.cursor;
  let totalCount: number | undefined;
  let fetch = Math.min(maxFetch, limit);
  let first = true;
  for (;;) {
    const query: PageRequest = first ? request : { ...request, totalCount: false };
    const page = await enumerate(
      registry,
      namespace,
      { ...query, includeMetadata: true },
      cursor,
      fetch,
      now,
    );
    if (first) totalCount = page.totalCount;
    first = false;
    const items = page.items;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (!page.exact && predicate !== undefined && !predicate(item.metadata)) continue;
      out.push(request.includeMetadata ? item : withoutMetadata(item));
      if (out.length === limit) {
        const next =
          i === items.length - 1
            ? page.nextCursor
            : await cursorAfter(registry, namespace, request, cursor, i + 1, now);
        return result(out, next, totalCount);
      }
    }
    if (page.nextCursor === undefined) return result(out, undefined, totalCount);
    if (page.nextCursor === cursor)
      throw new MusterError('INTERNAL', 'the registry returned the same cursor twice', {
        details: { namespace },
      });
    cursor = page.nextCursor;
    // Sparse matches: read bigger pages as the walk goes on.
    fetch = Math.min(maxFetch, fetch * 4);
  }
}

/** The cursor after the first `count` items from `cursor` (a page cut short by the limit). */
async function cursorAfter(
  registry: RegistrySlot,
  namespace: string,
  request: PageRequest,
  cursor: string | undefined,
  count: number,
  now: number,
): Promise<string | undefined> {
  const query = { ...request, includeMetadata: false, totalCount: false };
  return (await enumerate(registry, namespace, query, cursor, count, now)).nextCursor;
}

async function enumerate(
  registry: RegistrySlot,
  namespace: string,
  request: PageRequest,
  cursor: string | undefined,
  limit: number,
  now: number,
): Promise<EnumeratePage> {
  const query: EnumerateQuery =
    cursor === undefined
      ? {
          filter: request.filter,
          limit,
          sort: request.sort,
          includeMetadata: request.includeMetadata,
          totalCount: request.totalCount,
        }
      : {
          filter: request.filter,
          limit,
          cursor,
          sort: request.sort,
          includeMetadata: request.includeMetadata,
          totalCount: request.totalCount,
        };
  try {
    return await registry.enumerate(namespace, query, now);
  } catch (error) {
    throw slotError(error);
  }
}

function withoutMetadata(record: IdentityRecord): IdentityRecord {
  return {
    identity: record.identity,
    metadata: NO_METADATA,
    registeredAt: record.registeredAt,
    updatedAt: record.updatedAt,
    expiresAt: record.expiresAt,
  };
}

function result(
  identities: readonly IdentityRecord[],
  nextCursor: string | undefined,
  totalCount: number | undefined,
): EnumerateResult {
  if (nextCursor === undefined)
    return totalCount === undefined ? { identities } : { identities, totalCount };
  return totalCount === undefined
    ? { identities, nextCursor }
    : { identities, nextCursor, totalCount };
}
