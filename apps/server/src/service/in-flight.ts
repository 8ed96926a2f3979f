/** Calls in progress (multicasts), so that shutdown can wait for them to finish. */
export class InFlight {
  readonly #running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.#running.add(work);
    const forget = () => this.#running.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Waits for the calls in progress, at most `timeoutMs`. */
  async settle(timeoutMs: number): Promise<void> {
    const all = Promise.allSettled([...this.#running]);
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  get size(): number {
    return this.#running.size;
  }
}
