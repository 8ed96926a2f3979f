import {
  type DeadlineWatch,
  type Expiring,
  unwatchDeadline,
  watchDeadline,
} from './deadline-ticker.js';

/**
 * The clock of one multicast: its deadline (real time, whatever clock the coordinator uses for
 * TTLs) and its abort signal. When either fires, `reason` is set, waits for a retry end at once,
 * and `onStop` runs (the multicast then answers with what it knows); the fan-out stops
 * recording statuses from then on.
 */
export class FanOutControl implements Expiring {
  reason: 'timeout' | 'abort' | undefined;
  readonly #deadline: number;
  readonly #signal: AbortSignal | undefined;
  readonly #onStop: () => void;
  readonly #watch: DeadlineWatch;
  #sleepers: Set<() => void> | undefined;
  #disposed = false;

  constructor(timeoutMs: number, signal: AbortSignal | undefined, onStop: () => void) {
    this.#deadline = performance.now() + timeoutMs;
    this.#onStop = onStop;
    this.#signal = signal;
    this.#watch = watchDeadline(this);
    signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Milliseconds left before the deadline. */
  remaining(): number {
    return this.#deadline - performance.now();
  }

  check(now: number): void {
    if (now >= this.#deadline) this.#stop('timeout');
  }

  /** Resolves after `ms`, or as soon as the fan-out stops. */
  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.reason !== undefined) {
        resolve();
        return;
      }
      const done = (): void => {
        clearTimeout(timer);
        this.#sleepers?.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#sleepers ??= new Set();
      this.#sleepers.add(done);
    });
  }

  /** The multicast is over: no more timeout or abort. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    unwatchDeadline(this.#watch);
    this.#signal?.removeEventListener('abort', this.#onAbort);
  }

  #onAbort = (): void => this.#stop('abort');

  #stop(reason: 'timeout' | 'abort'): void {
    if (this.reason !== undefined || this.#disposed) return;
    this.reason = reason;
    this.dispose();
    const sleepers = this.#sleepers;
    this.#sleepers = undefined;
    if (sleepers !== undefined) for (const wake of sleepers) wake();
    this.#onStop();
  }
}
