interface Waiter<T> {
  readonly resolve: (result: IteratorResult<T>) => void;
  readonly reject: (error: unknown) => void;
}

const DONE: IteratorResult<never> = Object.freeze({ done: true, value: undefined });

/**
 * The consumer side of a subscription or a watch: items pushed by producers that never wait
 * (a push hands the item to a waiting `next()` or buffers it), read with `next()`. Bounding the
 * buffer is the owner's job (it knows what to drop). After `end(error?)`, waiting and later reads
 * are done, or reject once with the error (after the buffered items when they are kept).
 * Built for one reader awaiting one `next()` at a time (`for await`); concurrent `next()` calls
 * are served in order too.
 */
export class AsyncQueue<T> {
  #items: (T | undefined)[] = [];
  #head = 0;
  /** The reader's pending `next()` (the common case: one at a time, no allocation beyond it). */
  #resolve: ((result: IteratorResult<T>) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;
  /** Further concurrent `next()` calls, rare. */
  #more: Waiter<T>[] | undefined;
  #ended = false;
  #error: { readonly error: unknown } | undefined;
  readonly #onTake: ((item: T) => void) | undefined;
  readonly #executor = (
    resolve: (result: IteratorResult<T>) => void,
    reject: (error: unknown) => void,
  ): void => {
    if (this.#resolve === undefined) {
      this.#resolve = resolve;
      this.#reject = reject;
    } else {
      this.#more ??= [];
      this.#more.push({ resolve, reject });
    }
  };

  /** `onTake` runs for every item as it reaches the reader (from the buffer or directly). */
  constructor(onTake?: (item: T) => void) {
    this.#onTake = onTake;
  }

  /** Items buffered, not yet read. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  get ended(): boolean {
    return this.#ended;
  }

  push(item: T): void {
    if (this.#ended) return;
    const resolve = this.#resolve;
    if (resolve === undefined) {
      this.#items.push(item);
      return;
    }
    this.#shiftWaiter();
    this.#onTake?.(item);
    resolve({ done: false, value: item });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#head < this.#items.length)
      return Promise.resolve({ done: false, value: this.#take() });
    if (this.#ended) {
      const failure = this.#error;
      this.#error = undefined;
      return failure === undefined ? Promise.resolve(DONE) : Promise.reject(failure.error);
    }
    return new Promise(this.#executor);
  }

  /**
   * Ends the stream, at once (buffered items dropped) or after the buffered items when
   * `keepBuffered`; with an error, the reader gets it once, last.
   */
  end(error?: unknown, keepBuffered = false): void {
    if (this.#ended) return;
    this.#ended = true;
    if (!keepBuffered) {
      this.#items = [];
      this.#head = 0;
    }
    if (error !== undefined) this.#error = { error };
    while (this.#resolve !== undefined) {
      const resolve = this.#resolve;
      const reject = this.#reject!;
      this.#shiftWaiter();
      const failure = this.#error;
      this.#error = undefined;
      if (failure === undefined) resolve(DONE);
      else reject(failure.error);
    }
  }

  #shiftWaiter(): void {
    const next = this.#more?.shift();
    this.#resolve = next?.resolve;
    this.#reject = next?.reject;
  }

  #take(): T {
    const item = this.#items[this.#head] as T;
    this.#items[this.#head++] = undefined;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    this.#onTake?.(item);
    return item;
  }
}
