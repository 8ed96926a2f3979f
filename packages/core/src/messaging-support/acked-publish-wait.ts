import type { Envelope } from '../slots/envelope.js';
import type { PublishResult } from '../slots/messaging-slot.js';

type Status = PublishResult['status'];
type ErrorInfo = { readonly code: string; readonly message: string };

const CANCELLED: ErrorInfo = Object.freeze({
  code: 'CANCELLED',
  message: 'the publish was cancelled',
});

/**
 * The waiting half of one acked `publish`: one result per envelope, settled by the first of an
 * ack, a delivery failure, the timeout, the abort signal or the slot closing; later settlements
 * of an envelope change nothing. ONE timer and one abort listener per batch, never one per
 * envelope, and one promise that resolves when every envelope is settled.
 */
export class AckedPublishWait {
  readonly results: (PublishResult | undefined)[];
  readonly #envelopes: readonly Envelope[];
  /** Envelopes not settled yet. */
  #pending: number;
  #resolve: ((results: readonly PublishResult[]) => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #signal: AbortSignal | undefined;
  #onDone: ((wait: this) => void) | undefined;

  constructor(envelopes: readonly Envelope[]) {
    this.#envelopes = envelopes;
    this.results = new Array(envelopes.length).fill(undefined);
    this.#pending = envelopes.length;
  }

  /** True when every envelope is settled. */
  get done(): boolean {
    return this.#pending === 0;
  }

  /** Settles one envelope; an index out of range (a foreign reply) settles nothing. */
  settle(index: number, status: Status, error?: ErrorInfo): void {
    if (!(Number.isInteger(index) && index >= 0 && index < this.results.length)) return;
    if (this.results[index] !== undefined) return;
    const { identity, messageId } = this.#envelopes[index]!;
    this.results[index] =
      error === undefined
        ? { identity, messageId, status }
        : { identity, messageId, status, error };
    if (--this.#pending === 0 && this.#resolve !== undefined) this.#finish();
  }

  /** Settles every envelope still waiting (timeout, cancellation, close). */
  settleRemaining(status: Status, error?: ErrorInfo): void {
    for (let i = 0; i < this.results.length && this.#pending > 0; i++)
      if (this.results[i] === undefined) this.settle(i, status, error);
  }

  /**
   * Resolves when every envelope is settled: TIMEOUT for the rest `timeoutMs` from now (a caller
   * whose budget started earlier passes what is left of it), FAILED with code CANCELLED when
   * `signal` aborts. `onDone` runs once, just before the promise resolves.
   */
  wait(
    timeoutMs: number,
    signal: AbortSignal | undefined,
    onDone: (wait: this) => void,
  ): Promise<readonly PublishResult[]> {
    return new Promise((resolve) => {
      this.#resolve = resolve;
      this.#onDone = onDone;
      if (this.#pending === 0) {
        this.#finish();
        return;
      }
      this.#timer = setTimeout(() => this.settleRemaining('TIMEOUT'), timerDelay(timeoutMs));
      if (signal !== undefined) {
        this.#signal = signal;
        signal.addEventListener('abort', this.#onAbort, { once: true });
        if (signal.aborted) this.#onAbort();
      }
    });
  }

  #onAbort = (): void => this.settleRemaining('FAILED', CANCELLED);

  #finish(): void {
    clearTimeout(this.#timer);
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#onDone?.(this);
    this.#resolve?.(this.results as PublishResult[]);
  }
}

/** setTimeout fires at once for NaN and after 1 ms beyond 2^31 - 1: clamp instead. */
function timerDelay(timeoutMs: number): number {
  return timeoutMs > 0 ? Math.min(timeoutMs, 2_147_483_647) : 0;
}
