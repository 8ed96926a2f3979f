import type { FilterNode } from '@muster/filter';
import type { EnumeratePage, EnumerateQuery, RegistrySlot } from '../slots/registry-slot.js';
import { readPage } from './read-page.js';
import { slotError } from './slot-error.js';

const BY_IDENTITY = Object.freeze([]);

/**
 * The identities matching `filter` now, in identity order: a multicast's snapshot of its targets.
 * Walks enumerate in the largest pages the namespace allows, without metadata.
 */
export async function collectTargets(
  registry: RegistrySlot,
  namespace: string,
  filter: FilterNode,
  pageSize: number,
  now: number,
): Promise<string[]> {
  const targets: string[] = [];
  let cursor: string | undefined;
  if (registry.supports.filter === 'exact' || filter.kind === 'all') {
    // The common case, without the refinement layer: one registry call per page.
    let page: EnumeratePage;
    do {
      const query: EnumerateQuery =
        cursor === undefined
          ? {
              filter,
              limit: pageSize,
              sort: BY_IDENTITY,
              includeMetadata: false,
              totalCount: false,
            }
          : {
              filter,
              limit: pageSize,
              cursor,
              sort: BY_IDENTITY,
              includeMetadata: false,
              totalCount: false,
            };
      try {
        page = await registry.enumerate(namespace, query, now);
      } catch (error) {
        throw slotError(error);
      }
      if (page.exact === false) break;
      const items = page.items;
      for (let i = 0; i < items.length; i++) targets.push(items[i]!.identity);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    if (page.exact !== false) return sorted(targets);
    // A page that says it is not exact after all: start again with refinement.
    targets.length = 0;
    cursor = undefined;
  }
  do {
    const page = await readPage(
      registry,
      namespace,
      {
        filter,
        limit: pageSize,
        cursor,
        sort: BY_IDENTITY,
        includeMetadata: false,
        totalCount: false,
      },
      now,
      pageSize,
    );
    const items = page.identities;
    for (let i = 0; i < items.length; i++) targets.push(items[i]!.identity);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return sorted(targets);
}

function sorted(targets: string[]): string[] {
  if (!isSorted(targets)) targets.sort(compareIdentities);
  return targets;
}

/** Identities are ASCII (checkIdentity), where UTF-16 order is code point order. */
function compareIdentities(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isSorted(identities: readonly string[]): boolean {
  for (let i = 1; i < identities.length; i++) if (identities[i - 1]! > identities[i]!) return false;
  return true;
}
