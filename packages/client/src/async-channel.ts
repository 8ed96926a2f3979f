/**
 * A queue a producer pushes into and one `for await` consumer drains: `end()` finishes the
 * iteration once the queue is empty, `fail(error)` makes the consumer's next read throw.
 */
export class AsyncChannel<T> implements AsyncIterator<T> {
  readonly #items: T[] = [];
  #waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void }[] =
    [];
  #ended = false;
  #error: { readonly value: unknown } | undefined;
  readonly #onReturn: () => Promise<void>;

  /** `onReturn` runs when the consumer stops early (`break` out of `for await`). */
  constructor(onReturn: () => Promise<void>) {
    this.#onReturn = onReturn;
  }

  get ended(): boolean {
    return this.#ended;
  }

  push(item: T): void {
    if (this.#ended) return;
    const waiter = this.#waiting.shift();
    if (waiter !== undefined) waiter.resolve({ done: false, value: item });
    else this.#items.push(item);
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const waiter of this.#waiting.splice(0)) waiter.resolve({ done: true, value: undefined });
  }

  fail(error: unknown): void {
    if (this.#ended) return;
    this.#error = { value: error };
    this.#ended = true;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(error);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#items.length > 0)
      return Promise.resolve({ done: false, value: this.#items.shift()! });
    if (this.#error !== undefined) {
      const { value } = this.#error;
      this.#error = undefined;
      return Promise.reject(value);
    }
    if (this.#ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  async return(): Promise<IteratorResult<T>> {
    await this.#onReturn();
    return { done: true, value: undefined };
  }
}
