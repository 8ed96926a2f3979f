import type { RegistryEntry } from './registry-entry.js';

/**
 * A binary min-heap of entries by `heapKey`, each entry at most once (it knows its position).
 * Keys may lag behind a later `expiresAt` (heartbeats do not touch the heap); the sweep re-keys
 * such entries when their old key comes due, so a sweep costs O(due), not O(n).
 */
export class ExpiryHeap {
  #items: RegistryEntry[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): RegistryEntry | undefined {
    return this.#items[0];
  }

  push(entry: RegistryEntry, key: number): void {
    entry.heapKey = key;
    entry.heapIndex = this.#items.length;
    this.#items.push(entry);
    this.#up(entry.heapIndex);
  }

  /** Moves an entry already in the heap to an earlier key. */
  lower(entry: RegistryEntry, key: number): void {
    entry.heapKey = key;
    this.#up(entry.heapIndex);
  }

  pop(): RegistryEntry | undefined {
    const items = this.#items;
    const top = items[0];
    if (top === undefined) return undefined;
    const last = items.pop()!;
    top.heapIndex = -1;
    if (last !== top) {
      items[0] = last;
      last.heapIndex = 0;
      this.#down(0);
    }
    return top;
  }

  /** Gives the top entry a later key. */
  rekeyTop(key: number): void {
    const top = this.#items[0];
    if (top === undefined) return;
    top.heapKey = key;
    this.#down(0);
  }

  /** Rebuilds from the entries for which `keyOf` gives a key (dropping the rest) in O(n). */
  rebuild(keyOf: (entry: RegistryEntry) => number | undefined): void {
    const kept: RegistryEntry[] = [];
    for (const entry of this.#items) {
      const key = keyOf(entry);
      if (key === undefined) {
        entry.heapIndex = -1;
      } else {
        entry.heapKey = key;
        entry.heapIndex = kept.length;
        kept.push(entry);
      }
    }
    this.#items = kept;
    for (let i = (kept.length >>> 1) - 1; i >= 0; i--) this.#down(i);
  }

  /** Counts entries keyed at or before `now` that satisfy `test`, visiting only those keys. */
  countDue(now: number, test: (entry: RegistryEntry) => boolean): number {
    const items = this.#items;
    if (items.length === 0 || items[0]!.heapKey > now) return 0;
    let count = 0;
    const stack = [0];
    while (stack.length > 0) {
      const i = stack.pop()!;
      const entry = items[i]!;
      if (test(entry)) count++;
      const left = 2 * i + 1;
      if (left < items.length && items[left]!.heapKey <= now) stack.push(left);
      if (left + 1 < items.length && items[left + 1]!.heapKey <= now) stack.push(left + 1);
    }
    return count;
  }

  #up(i: number): void {
    const items = this.#items;
    const entry = items[i]!;
    const key = entry.heapKey;
    while (i > 0) {
      const parentIndex = (i - 1) >>> 1;
      const parent = items[parentIndex]!;
      if (parent.heapKey <= key) break;
      items[i] = parent;
      parent.heapIndex = i;
      i = parentIndex;
    }
    items[i] = entry;
    entry.heapIndex = i;
  }

  #down(i: number): void {
    const items = this.#items;
    const length = items.length;
    const entry = items[i]!;
    const key = entry.heapKey;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= length) break;
      const right = child + 1;
      if (right < length && items[right]!.heapKey < items[child]!.heapKey) child = right;
      const smaller = items[child]!;
      if (smaller.heapKey >= key) break;
      items[i] = smaller;
      smaller.heapIndex = i;
      i = child;
    }
    items[i] = entry;
    entry.heapIndex = i;
  }
}
