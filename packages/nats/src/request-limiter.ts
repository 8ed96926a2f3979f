/**
 * At most `limit` requests in flight; the rest wait their turn in order. Thousands of readers
 * woken at once (a multicast to 10,000 queued identities) then keep JetStream's API busy
 * instead of flooding it, and no request's timeout starts before it is actually sent.
 */
export class RequestLimiter {
  readonly #limit: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];
  #head = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  async run<T>(request: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#limit)
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#active++;
    try {
      return await request();
    } finally {
      this.#release();
    }
  }

  /** Hands the slot to the next waiter (the count stays), or frees it. */
  #release(): void {
    if (this.#head < this.#waiting.length) {
      const next = this.#waiting[this.#head]!;
      this.#waiting[this.#head++] = noop;
      if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
        this.#waiting.splice(0, this.#head);
        this.#head = 0;
      }
      next();
    } else this.#active--;
  }
}

function noop(): void {}
