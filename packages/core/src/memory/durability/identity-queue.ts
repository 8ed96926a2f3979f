import type { QueuedMessage } from '../../slots/durability-slot.js';

/**
 * One identity's queue: messages in sequence order in an array with a moving head (appends and
 * drops from the front are O(1) amortised, lookups by sequence are binary searches). The head
 * is never an acked message; acked messages behind it wait in `#acked` until the head passes.
 */
export class IdentityQueue {
  #items: QueuedMessage[] = [];
  #head = 0;
  #acked: Set<number> | undefined;
  #unacked = 0;
  /** Whether createdAt never decreases along the queue (then age trimming only looks at the head). */
  #ordered = true;
  #lastCreatedAt = Number.NEGATIVE_INFINITY;

  /** Unacked messages held. */
  get size(): number {
    return this.#unacked;
  }

  append(message: QueuedMessage): void {
    const createdAt = message.envelope.createdAt;
    if (createdAt < this.#lastCreatedAt) this.#ordered = false;
    else this.#lastCreatedAt = createdAt;
    this.#items.push(message);
    this.#unacked++;
  }

  /** Unacked messages with sequence > after and createdAt >= minCreatedAt, at most `limit`. */
  read(after: number, limit: number, minCreatedAt: number): QueuedMessage[] {
    this.#dropExpiredHead(minCreatedAt);
    const out: QueuedMessage[] = [];
    const items = this.#items;
    const acked = this.#acked;
    for (let i = this.#firstAfter(after); i < items.length && out.length < limit; i++) {
      const message = items[i]!;
      if (acked?.has(message.sequence) || message.envelope.createdAt < minCreatedAt) continue;
      out.push(message);
    }
    return out;
  }

  ack(sequence: number): void {
    const index = this.#firstAfter(sequence - 1);
    if (index >= this.#items.length || this.#items[index]!.sequence !== sequence) return;
    if (index === this.#head) {
      this.#dropHead();
      return;
    }
    this.#acked ??= new Set();
    if (this.#acked.has(sequence)) return;
    this.#acked.add(sequence);
    this.#unacked--;
  }

  /** Drops the oldest unacked message (retention by length). */
  dropOldest(): void {
    if (this.#unacked > 0) this.#dropHead();
  }

  /** Applies retention: drops messages created before `minCreatedAt`, then the oldest beyond `maxLength`. */
  trim(minCreatedAt: number, maxLength: number): void {
    this.#dropExpiredHead(minCreatedAt);
    if (!this.#ordered && minCreatedAt > Number.NEGATIVE_INFINITY) this.#compact(minCreatedAt);
    while (this.#unacked > maxLength) this.#dropHead();
  }

  #dropExpiredHead(minCreatedAt: number): void {
    while (this.#unacked > 0 && this.#items[this.#head]!.envelope.createdAt < minCreatedAt)
      this.#dropHead();
  }

  /** Removes the head (unacked by invariant), then every acked message that becomes the head. */
  #dropHead(): void {
    this.#head++;
    this.#unacked--;
    const acked = this.#acked;
    if (acked !== undefined && acked.size > 0) {
      while (this.#head < this.#items.length && acked.delete(this.#items[this.#head]!.sequence))
        this.#head++;
    }
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
      this.#lastCreatedAt = Number.NEGATIVE_INFINITY;
      this.#ordered = true;
    } else if (this.#head >= 64 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Out-of-order createdAt: rebuild without expired and acked messages (rare, O(queue)). */
  #compact(minCreatedAt: number): void {
    const kept: QueuedMessage[] = [];
    let last = Number.NEGATIVE_INFINITY;
    let ordered = true;
    for (let i = this.#head; i < this.#items.length; i++) {
      const message = this.#items[i]!;
      if (this.#acked?.has(message.sequence) || message.envelope.createdAt < minCreatedAt) continue;
      const createdAt = message.envelope.createdAt;
      if (createdAt < last) ordered = false;
      else last = createdAt;
      kept.push(message);
    }
    this.#items = kept;
    this.#head = 0;
    this.#acked = undefined;
    this.#unacked = kept.length;
    this.#ordered = ordered;
    this.#lastCreatedAt = last;
  }

  /** Index of the first message (at or after the head) with sequence > after. */
  #firstAfter(after: number): number {
    let low = this.#head;
    let high = this.#items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#items[middle]!.sequence > after) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}
