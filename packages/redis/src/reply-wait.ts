import type { Envelope, PublishResult } from '@muster/core';

type Status = PublishResult['status'];
type ErrorInfo = { readonly code: string; readonly message: string };

const CANCELLED = Object.freeze({ code: 'CANCELLED', message: 'the publish was cancelled' });

/**
 * The waiting half of one acked publish: one result per envelope, settled by the first of a
 * reply (DELIVERED), PUBLISH's receiver count of 0 (NO_SUBSCRIBER), the timeout, the abort
 * signal or the slot closing; later settlements change nothing. One timer and one abort
 * listener per batch, never one per envelope.
 */
export class ReplyWait {
  readonly #envelopes: readonly Envelope[];
  readonly #results: (PublishResult | undefined)[];
  #pending: number;
  #resolve: ((results: readonly PublishResult[]) => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #signal: AbortSignal | undefined;
  #onDone: (() => void) | undefined;
  /** The caller's budget starts with the publish, not after its round trip. */
  readonly #startedAt = performance.now();

  constructor(envelopes: readonly Envelope[]) {
    this.#envelopes = envelopes;
    this.#results = new Array(envelopes.length).fill(undefined);
    this.#pending = envelopes.length;
  }

  settle(index: number, status: Status, error?: ErrorInfo): void {
    // A reply names its index: anything else (a foreign publisher) settles nothing.
    if (!(Number.isInteger(index) && index >= 0 && index < this.#results.length)) return;
    if (this.#results[index] !== undefined) return;
    const { identity, messageId } = this.#envelopes[index]!;
    this.#results[index] =
      error === undefined
        ? { identity, messageId, status }
        : { identity, messageId, status, error };
    if (--this.#pending === 0) this.#finish();
  }

  settleRemaining(status: Status, error?: ErrorInfo): void {
    for (let i = 0; i < this.#results.length && this.#pending > 0; i++)
      if (this.#results[i] === undefined) this.settle(i, status, error);
  }

  /** Resolves when every envelope is settled; TIMEOUT for the rest after `timeoutMs`. */
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
      // setTimeout fires at once for NaN and after 1 ms beyond 2^31 - 1: clamp instead.
      const delay = left > 0 ? Math.min(left, 2_147_483_647) : 0;
      this.#timer = setTimeout(() => this.settleRemaining('TIMEOUT'), delay);
      if (signal !== undefined) {
        this.#signal = signal;
        signal.addEventListener('abort', this.#onAbort, { once: true });
        if (signal.aborted) this.#onAbort();
      }
    });
  }

  #onAbort = (): void => this.settleRemaining('FAILED', CANCELLED);

  #finish(): void {
    if (this.#resolve === undefined) return;
    clearTimeout(this.#timer);
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#onDone?.();
    const resolve = this.#resolve;
    this.#resolve = undefined;
    resolve(this.#results as PublishResult[]);
  }
}
