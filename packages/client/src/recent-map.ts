/**
 * A map bounded to its most recently added keys, oldest forgotten first: remembers enough message
 * ids to drop redeliveries after a reconnect without growing for the life of a subscription.
 */
export class RecentMap<V> {
  readonly #capacity: number;
  readonly #entries = new Map<string, V>();

  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity);
  }

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: V): void {
    const known = this.#entries.has(key);
    this.#entries.set(key, value);
    if (known || this.#entries.size <= this.#capacity) return;
    // A Map iterates in insertion order: the first key is the oldest.
    for (const oldest of this.#entries.keys()) {
      this.#entries.delete(oldest);
      break;
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
