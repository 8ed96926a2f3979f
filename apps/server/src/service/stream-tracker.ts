import { MusterError } from '@muster/core';

/**
 * Open Subscribe and Watch streams: counted per key (a key's stream limit), and all ended by
 * `drain()` at shutdown, which makes each handler finish its stream normally so that clients
 * see a clean end and reconnect (to another instance) rather than an error.
 */
export class StreamTracker {
  readonly #perKey = new Map<string, number>();
  readonly #drain = new AbortController();
  readonly #open = new Set<Promise<void>>();

  get draining(): boolean {
    return this.#drain.signal.aborted;
  }

  /** Counts a new stream of `keyName`; throws QUOTA_EXCEEDED over `max`. */
  open(keyName: string, max: number | undefined, requestSignal: AbortSignal) {
    if (this.draining)
      throw new MusterError(
        'UNAVAILABLE',
        'the server is shutting down; connect to another instance',
      );
    const count = this.#perKey.get(keyName) ?? 0;
    if (max !== undefined && count >= max)
      throw new MusterError(
        'QUOTA_EXCEEDED',
        `too many open streams for this API key (the limit is ${max})`,
        { details: { limit: 'maxStreamsPerKey', max } },
      );
    this.#perKey.set(keyName, count + 1);
    let finish!: () => void;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    this.#open.add(done);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      requestSignal.removeEventListener('abort', close);
      const left = (this.#perKey.get(keyName) ?? 1) - 1;
      if (left === 0) this.#perKey.delete(keyName);
      else this.#perKey.set(keyName, left);
      this.#open.delete(done);
      finish();
    };
    // A client that went away may leave its handler suspended at a `yield` that is never
    // resumed (its `finally` never runs): count the stream as closed when the request ends.
    requestSignal.addEventListener('abort', close, { once: true });
    if (requestSignal.aborted) close();
    return {
      /** Aborted when the client goes away or the server drains. */
      signal: AbortSignal.any([requestSignal, this.#drain.signal]),
      close,
    };
  }

  /** Ends every open stream and waits (at most `timeoutMs`) for their handlers to finish. */
  async drain(timeoutMs: number): Promise<void> {
    this.#drain.abort();
    const all = Promise.all([...this.#open]);
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  get size(): number {
    return this.#open.size;
  }
}
