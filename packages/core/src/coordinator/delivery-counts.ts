/** Most unacked deliveries remembered per identity; the oldest are forgotten first. */
const MAX_PER_IDENTITY = 10_000;

/**
 * How often each durable message was handed to a consumer without being acked, so a redelivery
 * (the identity subscribes again) carries `attempt` + that count. Kept by this coordinator only:
 * a redelivery through another process starts again from the stored attempt.
 */
export class DeliveryCounts {
  #counts = new Map<string, Map<number, number>>();

  previous(namespace: string, identity: string, sequence: number): number {
    return this.#counts.get(key(namespace, identity))?.get(sequence) ?? 0;
  }

  delivered(namespace: string, identity: string, sequence: number): void {
    const id = key(namespace, identity);
    let counts = this.#counts.get(id);
    if (counts === undefined) {
      counts = new Map();
      this.#counts.set(id, counts);
    }
    counts.set(sequence, (counts.get(sequence) ?? 0) + 1);
    if (counts.size > MAX_PER_IDENTITY) {
      const oldest = counts.keys().next().value;
      if (oldest !== undefined) counts.delete(oldest);
    }
  }

  acked(namespace: string, identity: string, sequence: number): void {
    const id = key(namespace, identity);
    const counts = this.#counts.get(id);
    if (counts === undefined) return;
    counts.delete(sequence);
    if (counts.size === 0) this.#counts.delete(id);
  }

  /** The identity's queue was purged (unregistered or expired). */
  forget(namespace: string, identity: string): void {
    if (this.#counts.size > 0) this.#counts.delete(key(namespace, identity));
  }
}

function key(namespace: string, identity: string): string {
  return `${namespace}\n${identity}`;
}
