import type { FilterNode, Predicate } from '@muster/filter';
import { filterSignature } from '../../filter-support/filter-predicate.js';
import type { IdentityRecord } from '../../slots/identity-record.js';
import type { SortKey } from '../../slots/registry-slot.js';
import { ExpiryHeap } from './expiry-heap.js';
import { IdentityIndex } from './identity-index.js';
import { RegistryEntry } from './registry-entry.js';
import { SortedView } from './sorted-view.js';

/** Sorted views kept per namespace (distinct filter and sort combinations). */
const MAX_VIEWS = 4;

/**
 * The state of one namespace: a map identity → entry (live and expired-but-unswept), the
 * identity-ordered index, the expiry heap and cached sorted views. Slot semantics (errors,
 * events) live in MemoryRegistry; this class keeps the structures consistent.
 */
export class RegistryNamespace {
  readonly entries = new Map<string, RegistryEntry>();
  readonly index = new IdentityIndex();
  readonly heap = new ExpiryHeap();
  readonly #views = new Map<string, SortedView>();

  add(record: IdentityRecord): RegistryEntry {
    const entry = new RegistryEntry(record);
    this.entries.set(entry.identity, entry);
    this.index.add(entry);
    if (record.expiresAt !== null) this.#schedule(entry, record.expiresAt);
    this.#changed();
    return entry;
  }

  /** Stores a new record in an existing entry (replace, or re-registration after expiry). */
  rewrite(entry: RegistryEntry, record: IdentityRecord): void {
    entry.record = record;
    this.setExpiry(entry, record.expiresAt);
    this.#changed();
  }

  /** O(1) unless the expiry moves earlier: a later expiry leaves the heap key to the sweep. */
  setExpiry(entry: RegistryEntry, expiresAt: number | null): void {
    entry.expiresAt = expiresAt;
    if (expiresAt === null) return;
    if (entry.heapIndex < 0) this.#schedule(entry, expiresAt);
    else if (expiresAt < entry.heapKey) this.heap.lower(entry, expiresAt);
  }

  remove(entry: RegistryEntry): void {
    this.entries.delete(entry.identity);
    entry.record = undefined;
    const live = this.entries.size;
    if (this.index.length - live > Math.max(1024, live)) this.index.compact();
    if (this.heap.size > 2 * live + 1024) this.#rebuildHeap();
  }

  /** Identities stored and not expired at `now`. */
  liveCount(now: number): number {
    return (
      this.entries.size -
      this.heap.countDue(
        now,
        (entry) => entry.record !== undefined && entry.expiresAt !== null && entry.expiresAt <= now,
      )
    );
  }

  /** The sorted view of the entries matching `filter`, built or reused. */
  view(filter: FilterNode, predicate: Predicate | undefined, keys: readonly SortKey[]): SortedView {
    const key = `${filterSignature(filter)}\n${JSON.stringify(keys)}`;
    let view = this.#views.get(key);
    if (view === undefined) {
      view = new SortedView(this.entries.values(), predicate, keys);
      if (this.#views.size >= MAX_VIEWS) this.#views.delete(this.#views.keys().next().value!);
      this.#views.set(key, view);
    }
    return view;
  }

  /** Any record or order may have changed: cached views are stale. */
  #changed(): void {
    if (this.#views.size > 0) this.#views.clear();
  }

  #schedule(entry: RegistryEntry, key: number): void {
    this.heap.push(entry, key);
    if (this.heap.size > 2 * this.entries.size + 1024) this.#rebuildHeap();
  }

  #rebuildHeap(): void {
    this.heap.rebuild((entry) =>
      entry.record !== undefined && entry.expiresAt !== null ? entry.expiresAt : undefined,
    );
  }
}
