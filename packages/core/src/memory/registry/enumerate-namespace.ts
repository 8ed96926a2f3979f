import type { FilterNode, Predicate } from '@muster/filter';
import { encodeCursor } from '../../registry-support/encode-cursor.js';
import type { SortValue } from '../../registry-support/sort-value.js';
import type { IdentityRecord, Metadata } from '../../slots/identity-record.js';
import type { EnumeratePage, SortKey } from '../../slots/registry-slot.js';
import type { RegistryEntry } from './registry-entry.js';
import type { RegistryNamespace } from './registry-namespace.js';

const NO_METADATA: Metadata = Object.freeze({});

export interface PageRequest {
  readonly filter: FilterNode;
  readonly predicate: Predicate | undefined;
  /** Normalized: ends with an identity key. */
  readonly keys: readonly SortKey[];
  /** The decoded cursor, one value per key. */
  readonly after: readonly SortValue[] | undefined;
  readonly limit: number;
  readonly includeMetadata: boolean;
  readonly totalCount: boolean;
}

/**
 * One page of a namespace. Identity order walks the identity index from the cursor (a binary
 * search, then O(page) plus the non-matching entries skipped); other orders walk a cached sorted
 * view of the matching entries. Either way the page looks one match ahead, so `nextCursor` is
 * present exactly when another item follows.
 */
export function enumerateNamespace(
  space: RegistryNamespace,
  request: PageRequest,
  now: number,
): EnumeratePage {
  const first = request.keys[0]!;
  const page =
    'field' in first.by && first.by.field === 'identity'
      ? identityPage(space, request, first.direction === 'desc', now)
      : viewPage(space, request, now);
  if (!request.totalCount) return page;
  return { ...page, totalCount: countMatches(space, request, now) };
}

function identityPage(
  space: RegistryNamespace,
  request: PageRequest,
  descending: boolean,
  now: number,
): EnumeratePage {
  const { predicate, limit, includeMetadata } = request;
  const after = request.after === undefined ? undefined : (request.after[0] as string);
  // Sized up front (entries bound the page) and trimmed: cheaper than growing by push.
  const items: IdentityRecord[] = new Array(Math.min(limit, space.entries.size));
  let count = 0;
  let more = false;
  const single = space.index.singleRun(after, descending);
  if (single !== undefined) {
    // One sorted run: a plain indexed loop, the hot path of steady reads.
    const { run } = single;
    const step = descending ? -1 : 1;
    for (let i = single.start; i >= 0 && i < run.length; i += step) {
      const entry = run[i]!;
      if (entry.record === undefined) continue;
      const expiresAt = entry.expiresAt;
      if (expiresAt !== null && expiresAt <= now) continue;
      if (predicate !== undefined && !predicate(entry.record.metadata)) continue;
      if (count === limit) {
        more = true;
        break;
      }
      items[count++] = includeMetadata ? entry.current() : withoutMetadata(entry);
    }
    return finishPage(items, count, more);
  }
  const walker = space.index.walk(after, descending);
  for (let entry = walker.next(); entry !== undefined; entry = walker.next()) {
    const expiresAt = entry.expiresAt;
    if (expiresAt !== null && expiresAt <= now) continue;
    if (predicate !== undefined && !predicate(entry.record!.metadata)) continue;
    if (count === limit) {
      more = true;
      break;
    }
    items[count++] = includeMetadata ? entry.current() : withoutMetadata(entry);
  }
  return finishPage(items, count, more);
}

function finishPage(items: IdentityRecord[], count: number, more: boolean): EnumeratePage {
  items.length = count;
  if (!more) return { items, exact: true };
  return { items, exact: true, nextCursor: encodeCursor([items[count - 1]!.identity]) };
}

function viewPage(space: RegistryNamespace, request: PageRequest, now: number): EnumeratePage {
  const { limit, includeMetadata } = request;
  const view = space.view(request.filter, request.predicate, request.keys);
  const entries = view.entries;
  let i = request.after === undefined ? 0 : view.startAfter(request.after);
  const items: IdentityRecord[] = new Array(Math.max(0, Math.min(limit, entries.length - i)));
  let count = 0;
  let last = -1;
  let more = false;
  for (; i < entries.length; i++) {
    const entry = entries[i]!;
    if (!entry.isLive(now)) continue;
    if (count === limit) {
      more = true;
      break;
    }
    items[count++] = includeMetadata ? entry.current() : withoutMetadata(entry);
    last = i;
  }
  items.length = count;
  if (!more) return { items, exact: true };
  return { items, exact: true, nextCursor: encodeCursor(view.values[last]!) };
}

function countMatches(space: RegistryNamespace, request: PageRequest, now: number): number {
  const predicate = request.predicate;
  if (predicate === undefined) return space.liveCount(now);
  let count = 0;
  for (const entry of space.entries.values())
    if (entry.isLive(now) && predicate(entry.record!.metadata)) count++;
  return count;
}

function withoutMetadata(entry: RegistryEntry): IdentityRecord {
  const record = entry.record!;
  return {
    identity: record.identity,
    metadata: NO_METADATA,
    registeredAt: record.registeredAt,
    updatedAt: record.updatedAt,
    expiresAt: entry.expiresAt,
  };
}
