import type { FilterNode } from '@muster/filter';
import { MusterError } from '../../errors/muster-error.js';
import { filterPredicate } from '../../filter-support/filter-predicate.js';
import { checkCursorTypes } from '../../registry-support/check-cursor-types.js';
import { checkExpiresAt } from '../../registry-support/check-expires-at.js';
import { checkRecord } from '../../registry-support/check-record.js';
import { decodeCursor } from '../../registry-support/decode-cursor.js';
import { normalizeSortKeys } from '../../registry-support/normalize-sort-keys.js';
import type { IdentityRecord } from '../../slots/identity-record.js';
import type {
  EnumeratePage,
  EnumerateQuery,
  PutOptions,
  PutResult,
  RegistrySlot,
  Unsubscribe,
} from '../../slots/registry-slot.js';
import { enumerateNamespace } from './enumerate-namespace.js';
import { MEMORY_REGISTRY_SUPPORTS } from './memory-registry-supports.js';
import { RegistryNamespace } from './registry-namespace.js';
import {
  type ChangeListener,
  type ListenerErrorHandler,
  RegistryWatchers,
} from './registry-watchers.js';

export interface MemoryRegistryOptions {
  /** Called when a watch listener throws; the registry carries on either way. Default: ignore. */
  readonly onListenerError?: ListenerErrorHandler;
}

/**
 * The in-memory registry slot. All state and change events live in the instance, so several
 * coordinators sharing one instance behave like coordinators sharing one backend.
 *
 * - Records are stored by reference: callers must not mutate a record after `put` (the types
 *   say readonly). Replace keeps the live record's registeredAt and sets updatedAt to `now`.
 * - An expired record is invisible to every read at once. Overwriting one that no sweep has
 *   removed yet (`put` of the same identity) emits its `expired` event first, then `registered`;
 *   that record is then gone, so no sweep returns it: `expired` is emitted exactly once either way.
 *   `delete` of an expired record returns undefined and leaves it to the sweep.
 * - Change events: `registered` and `updated` carry `record` (and `previous` for updated),
 *   `unregistered` and `expired` carry the removed record as `previous`.
 * - `close` is idempotent; after it every other call rejects with UNAVAILABLE.
 */
export class MemoryRegistry implements RegistrySlot {
  readonly supports = MEMORY_REGISTRY_SUPPORTS;
  readonly #spaces = new Map<string, RegistryNamespace>();
  readonly #watchers: RegistryWatchers;
  #closed = false;

  constructor(options: MemoryRegistryOptions = {}) {
    this.#watchers = new RegistryWatchers(options.onListenerError);
  }

  async put(
    namespace: string,
    record: IdentityRecord,
    options: PutOptions,
    now: number,
  ): Promise<PutResult> {
    this.#open();
    checkRecord(record);
    const mode = options.mode;
    if (mode !== 'create' && mode !== 'replace')
      throw invalid(`put mode must be 'create' or 'replace'`, 'mode');
    let space = this.#spaces.get(namespace);
    const entry = space?.entries.get(record.identity);
    if (entry?.isLive(now)) {
      if (mode === 'create')
        throw new MusterError(
          'ALREADY_EXISTS',
          `identity ${record.identity} is already registered`,
          {
            details: { field: 'identity', identity: record.identity },
          },
        );
      const previous = entry.current();
      const stored =
        record.registeredAt === previous.registeredAt && record.updatedAt === now
          ? record
          : { ...record, registeredAt: previous.registeredAt, updatedAt: now };
      space!.rewrite(entry, stored);
      if (this.#watchers.has(namespace))
        this.#watchers.emit({
          type: 'updated',
          namespace,
          identity: stored.identity,
          record: stored,
          previous,
          at: now,
        });
      return { record: stored, previous };
    }
    if (options.quota !== undefined) checkQuota(space, options.quota, now);
    if (space === undefined) {
      space = new RegistryNamespace();
      this.#spaces.set(namespace, space);
    }
    let expired: IdentityRecord | undefined;
    if (entry === undefined) {
      space.add(record);
    } else {
      expired = entry.current();
      space.rewrite(entry, record);
    }
    if (this.#watchers.has(namespace)) {
      if (expired !== undefined)
        this.#watchers.emit({
          type: 'expired',
          namespace,
          identity: expired.identity,
          previous: expired,
          at: now,
        });
      this.#watchers.emit({
        type: 'registered',
        namespace,
        identity: record.identity,
        record,
        at: now,
      });
    }
    return { record };
  }

  async get(namespace: string, identity: string, now: number): Promise<IdentityRecord | undefined> {
    this.#open();
    const entry = this.#spaces.get(namespace)?.entries.get(identity);
    return entry?.isLive(now) ? entry.current() : undefined;
  }

  async touch(
    namespace: string,
    identity: string,
    expiresAt: number | null,
    now: number,
  ): Promise<IdentityRecord | undefined> {
    this.#open();
    checkExpiresAt(expiresAt);
    const space = this.#spaces.get(namespace);
    const entry = space?.entries.get(identity);
    if (entry === undefined || !entry.isLive(now)) return undefined;
    space!.setExpiry(entry, expiresAt);
    return entry.current();
  }

  async touchMany(
    namespace: string,
    updates: readonly { readonly identity: string; readonly expiresAt: number | null }[],
    now: number,
  ): Promise<readonly string[]> {
    this.#open();
    if (!Array.isArray(updates)) throw invalid('updates must be an array', 'updates');
    for (const update of updates) checkExpiresAt(update.expiresAt);
    const space = this.#spaces.get(namespace);
    const missing: string[] = [];
    for (const update of updates) {
      const entry = space?.entries.get(update.identity);
      if (entry === undefined || !entry.isLive(now)) missing.push(update.identity);
      else space!.setExpiry(entry, update.expiresAt);
    }
    return missing;
  }

  async delete(
    namespace: string,
    identity: string,
    now: number,
  ): Promise<IdentityRecord | undefined> {
    this.#open();
    const space = this.#spaces.get(namespace);
    const entry = space?.entries.get(identity);
    if (entry === undefined || !entry.isLive(now)) return undefined;
    const previous = entry.current();
    space!.remove(entry);
    if (space!.entries.size === 0) this.#spaces.delete(namespace);
    if (this.#watchers.has(namespace))
      this.#watchers.emit({ type: 'unregistered', namespace, identity, previous, at: now });
    return previous;
  }

  async enumerate(namespace: string, query: EnumerateQuery, now: number): Promise<EnumeratePage> {
    this.#open();
    if (typeof query !== 'object' || query === null)
      throw invalid('query must be an object', 'query');
    const { limit } = query;
    if (!Number.isInteger(limit) || limit < 1)
      throw invalid('limit must be a positive integer', 'limit');
    const keys = normalizeSortKeys(query.sort);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, keys.length);
    if (after !== undefined) checkCursorTypes(after, keys);
    const filter: FilterNode = query.filter;
    const predicate = filterPredicate(filter);
    const space = this.#spaces.get(namespace);
    if (space === undefined)
      return query.totalCount
        ? { items: [], exact: true, totalCount: 0 }
        : { items: [], exact: true };
    return enumerateNamespace(
      space,
      {
        filter,
        predicate,
        keys,
        after,
        limit,
        includeMetadata: query.includeMetadata !== false,
        totalCount: query.totalCount === true,
      },
      now,
    );
  }

  async count(namespace: string, now: number): Promise<number> {
    this.#open();
    return this.#spaces.get(namespace)?.liveCount(now) ?? 0;
  }

  async sweep(namespace: string, now: number, limit: number): Promise<readonly IdentityRecord[]> {
    this.#open();
    if (typeof limit !== 'number' || Number.isNaN(limit) || limit < 0)
      throw invalid('limit must be a non-negative number', 'limit');
    const space = this.#spaces.get(namespace);
    if (space === undefined) return [];
    const heap = space.heap;
    const removed: IdentityRecord[] = [];
    while (removed.length < limit) {
      const entry = heap.peek();
      if (entry === undefined || entry.heapKey > now) break;
      const expiresAt = entry.expiresAt;
      if (entry.record === undefined || expiresAt === null) {
        heap.pop();
      } else if (expiresAt > now) {
        heap.rekeyTop(expiresAt); // extended by a heartbeat since it was scheduled
      } else {
        heap.pop();
        removed.push(entry.current());
        space.remove(entry);
      }
    }
    if (space.entries.size === 0) this.#spaces.delete(namespace);
    // Events go out after the heap walk: a listener may write to this registry.
    if (removed.length > 0 && this.#watchers.has(namespace))
      for (const previous of removed)
        this.#watchers.emit({
          type: 'expired',
          namespace,
          identity: previous.identity,
          previous,
          at: now,
        });
    return removed;
  }

  async namespaces(): Promise<readonly string[]> {
    this.#open();
    return [...this.#spaces.keys()];
  }

  async watch(namespace: string, listener: ChangeListener): Promise<Unsubscribe> {
    this.#open();
    if (typeof listener !== 'function') throw invalid('listener must be a function', 'listener');
    const remove = this.#watchers.add(namespace, listener);
    return async () => remove();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#spaces.clear();
    this.#watchers.clear();
  }

  #open(): void {
    if (this.#closed) throw new MusterError('UNAVAILABLE', 'the memory registry is closed');
  }
}

function checkQuota(space: RegistryNamespace | undefined, quota: number, now: number): void {
  if (!Number.isInteger(quota) || quota < 0)
    throw invalid('quota must be a non-negative integer', 'quota');
  if (space !== undefined && space.entries.size < quota) return; // live <= stored < quota
  const live = space === undefined ? 0 : space.liveCount(now);
  if (live >= quota)
    throw new MusterError(
      'QUOTA_EXCEEDED',
      `the namespace holds its quota of ${quota} identities`,
      {
        details: { quota, live },
      },
    );
}

function invalid(message: string, field: string): MusterError {
  return new MusterError('INVALID_ARGUMENT', message, { details: { field } });
}
