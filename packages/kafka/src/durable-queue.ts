import type { QueuedMessage } from '@muster/core';

/**
 * One identity's unacked messages in this process's view of the namespace log, in sequence
 * (offset) order: an array with a moving head, acked messages behind the head in `#acked`
 * until the head passes them.
 */
export class DurableQueue {
  #items: QueuedMessage[] = [];
  #head = 0;
  #acked = new Set<number>();

  /** Unacked messages held. */
  get size(): number {
    return this.#items.length - this.#head - this.#acked.size;
  }

  /** Appends a message; sequences only grow (the log is read in order). */
  append(message: QueuedMessage): void {
    this.#items.push(message);
  }

  /** Unacked messages with sequence > after and createdAt >= minCreatedAt, at most `limit`. */
  read(after: number, limit: number, minCreatedAt: number): QueuedMessage[] {
    const out: QueuedMessage[] = [];
    const items = this.#items;
    for (let i = this.#firstAfter(after); i < items.length && out.length < limit; i++) {
      const message = items[i]!;
      if (this.#acked.has(message.sequence) || message.envelope.createdAt < minCreatedAt) continue;
      out.push(message);
    }
    return out;
  }

  /** Marks a message acked; unknown or already acked sequences change nothing. */
  ack(sequence: number): void {
    const index = this.#firstAfter(sequence - 1);
    if (index >= this.#items.length || this.#items[index]!.sequence !== sequence) return;
    this.#acked.add(sequence);
    this.#advance();
  }

  /** Drops the oldest unacked messages until at most `maxLength` remain (retention by length). */
  keepNewest(maxLength: number): void {
    while (this.size > maxLength) {
      this.#head++;
      this.#advance();
    }
  }

  /** Drops messages created before `minCreatedAt` (retention by age). */
  dropOlderThan(minCreatedAt: number): void {
    const items = this.#items;
    let expired = false;
    for (let i = this.#head; i < items.length; i++)
      if (items[i]!.envelope.createdAt < minCreatedAt) {
        expired = true;
        break;
      }
    if (!expired) return;
    this.#items = items
      .slice(this.#head)
      .filter((m) => m.envelope.createdAt >= minCreatedAt && !this.#acked.has(m.sequence));
    this.#head = 0;
    this.#acked.clear();
  }

  /** Moves the head past acked messages and compacts the array now and then. */
  #advance(): void {
    const items = this.#items;
    while (this.#head < items.length && this.#acked.delete(items[this.#head]!.sequence))
      this.#head++;
    if (this.#head === items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head >= 64 && this.#head * 2 >= items.length) {
      this.#items = items.slice(this.#head);
      this.#head = 0;
    }
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
