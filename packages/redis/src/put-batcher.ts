/** One waiting put. */
export interface PendingPut<T, R> {
  readonly item: T;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Collects the puts issued to a namespace in the same turn of the event loop and hands them to
 * `flush` together (at most `maxBatch` at a time), so many concurrent registrations cost one
 * script call instead of one each. A single put waits for nothing but a setImmediate.
 */
export class PutBatcher<T, R> {
  readonly #queues = new Map<string, PendingPut<T, R>[]>();
  readonly #flush: (namespace: string, batch: PendingPut<T, R>[]) => Promise<void>;
  readonly #maxBatch: number;

  constructor(
    flush: (namespace: string, batch: PendingPut<T, R>[]) => Promise<void>,
    maxBatch: number,
  ) {
    this.#flush = flush;
    this.#maxBatch = maxBatch;
  }

  add(namespace: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let queue = this.#queues.get(namespace);
      if (queue === undefined) {
        queue = [];
        this.#queues.set(namespace, queue);
        setImmediate(() => this.#drain(namespace));
      }
      queue.push({ item, resolve, reject });
    });
  }

  #drain(namespace: string): void {
    const queue = this.#queues.get(namespace) ?? [];
    this.#queues.delete(namespace);
    for (let start = 0; start < queue.length; start += this.#maxBatch) {
      const batch = queue.slice(start, start + this.#maxBatch);
      this.#flush(namespace, batch).catch((error: unknown) => {
        for (const pending of batch) pending.reject(error);
      });
    }
  }
}
