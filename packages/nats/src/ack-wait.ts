import type { Envelope, PublishResult } from '@muster/core';

type Status = PublishResult['status'];
type ErrorInfo = { readonly code: string; readonly message: string };

/**
 * The waiting half of one acked publish: one result per envelope, one timer and one abort
 * listener for the whole batch (never one per envelope), resolved when every envelope is
 * settled by a reply (ack or no responders), the timeout, the signal or the slot closing. The
 * first settlement of an envelope wins: later replies (other subscribers) change nothing.
 */
export class AckWait {
  readonly #envelopes: readonly Envelope[];
  readonly #results: (PublishResult | undefined)[];
  #pending: number;
  #resolve: ((results: readonly PublishResult[]) => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #signal: AbortSignal | undefined;
  #onDone: (() => void) | undefined;

  /** The deadline starts when the publish starts (not after its flush): `timeoutMs` is the caller's budget. */
  readonly #startedAt = performance.now();

  constructor(envelopes: readonly Envelope[]) {
    this.#envelopes = envelopes;
    this.#results = new Array(envelopes.length).fill(undefined);
    this.#pending = envelopes.length;
  }

  settle(index: number, status: Status, error?: ErrorInfo): void {
    if (index < 0 || index >= this.#results.length || this.#results[index] !== undefined) return;
    const { identity, messageId } = this.#envelopes[index]!;
    this.#results[index] =
      error === undefined
        ? { identity, messageId, status }
        : { identity, messageId, status, error };
    if (--this.#pending === 0 && this.#resolve !== undefined) this.#finish();
  }

  settleRemaining(status: Status, error?: ErrorInfo): void {
    for (let i = 0; i < this.#results.length && this.#pending > 0; i++)
      if (this.#results[i] === undefined) this.settle(i, status, error);
  }

  /** Waits until `timeoutMs` after construction (then TIMEOUT); `signal` ends it with FAILED / CANCELLED. */
  wait(
    timeoutMs: number,
    signal: AbortSignal | undefined,
    onDone: () => void,
  ): Promise<readonly PublishResult[]> {
    return new Promise((resolve) => {
      this.#resolve = resolve;
      this.#onDone = onDone;
      if (this.#pending === 0) {
        this.#finish();
        return;
      }
      const left = timeoutMs - (performance.now() - this.#startedAt);
      const delay = left > 0 ? Math.min(left, 2_147_483_647) : 0;
      this.#timer = setTimeout(() => this.settleRemaining('TIMEOUT'), delay);
      if (signal !== undefined) {
        this.#signal = signal;
        signal.addEventListener('abort', this.#onAbort, { once: true });
        if (signal.aborted) this.#onAbort();
      }
    });
  }

  #onAbort = (): void => {
    this.settleRemaining('FAILED', { code: 'CANCELLED', message: 'the publish was cancelled' });
  };

  #finish(): void {
    clearTimeout(this.#timer);
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#onDone?.();
    this.#resolve?.(this.#results as PublishResult[]);
  }
}
