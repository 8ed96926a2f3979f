/**
 * Reads items from an async iterable with deadlines, without losing any: a `next()` still
 * pending when a wait times out is kept for the following call.
 */
export class AsyncReader<T> {
  readonly #iterator: AsyncIterator<T>;
  #pending: Promise<IteratorResult<T>> | undefined;
  #done = false;

  constructor(iterable: AsyncIterable<T>) {
    this.#iterator = iterable[Symbol.asyncIterator]();
  }

  /** The next `count` items; fails naming `what` when they do not all come within `timeoutMs`. */
  async take(count: number, what: string, timeoutMs = 5_000): Promise<T[]> {
    const items: T[] = [];
    const deadline = Date.now() + timeoutMs;
    while (items.length < count) {
      const item = await this.#next(deadline - Date.now());
      if (item === TIMED_OUT)
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}: got ${items.length} of ${count}`,
        );
      if (item === ENDED)
        throw new Error(
          `the iteration ended while waiting for ${what}: got ${items.length} of ${count}`,
        );
      items.push(item as T);
    }
    return items;
  }

  /** Asserts that nothing arrives for `milliseconds`; returns what did arrive (for the message). */
  async idle(milliseconds: number): Promise<T[]> {
    const extra: T[] = [];
    const deadline = Date.now() + milliseconds;
    for (;;) {
      const item = await this.#next(deadline - Date.now());
      if (item === TIMED_OUT || item === ENDED) return extra;
      extra.push(item as T);
    }
  }

  /** Whether the iteration has ended (within `timeoutMs`). */
  async ended(timeoutMs = 2_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const item = await this.#next(deadline - Date.now());
      if (item === ENDED) return true;
      if (item === TIMED_OUT) return false;
    }
  }

  async #next(milliseconds: number): Promise<T | typeof TIMED_OUT | typeof ENDED> {
    if (this.#done) return ENDED;
    this.#pending ??= this.#iterator.next();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, milliseconds));
    });
    const result = await Promise.race([this.#pending, timeout]);
    clearTimeout(timer);
    if (result === TIMED_OUT) return TIMED_OUT;
    this.#pending = undefined;
    if (result.done) {
      this.#done = true;
      return ENDED;
    }
    return result.value;
  }
}

const TIMED_OUT = Symbol('timed out');
const ENDED = Symbol('ended');
