import type { Envelope } from '../../slots/envelope.js';
import type { InboundMessage, PublishResult } from '../../slots/messaging-slot.js';

type Status = PublishResult['status'];
type ErrorInfo = { readonly code: string; readonly message: string };

/**
 * The pending half of one acked `publish` call: one result per envelope, ONE timer and one abort
 * listener for the whole batch, and one promise that resolves when every envelope is settled
 * (acked, failed, timed out or cancelled). The first settlement of an envelope wins.
 */
export class AckedBatch {
  readonly results: (PublishResult | undefined)[];
  #envelopes: readonly Envelope[];
  /** Envelopes handed to handlers and not settled yet. */
  #pending = 0;
  #resolve: ((results: readonly PublishResult[]) => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #signal: AbortSignal | undefined;
  #onDone: ((batch: AckedBatch) => void) | undefined;

  constructor(envelopes: readonly Envelope[]) {
    this.#envelopes = envelopes;
    this.results = new Array(envelopes.length).fill(undefined);
  }

  /** Records a final status for an envelope that was never handed out (e.g. NO_SUBSCRIBER). */
  record(index: number, status: Status, error?: ErrorInfo): void {
    this.results[index] = this.#result(index, status, error);
  }

  /** Marks an envelope as awaiting an ack; returns the message to hand to its handlers. */
  expect(index: number): InboundMessage {
    this.#pending++;
    return new AckedMessage(this.#envelopes[index]!, this, index);
  }

  /** Settles an expected envelope; later settlements of it are ignored. */
  settle(index: number, status: Status, error?: ErrorInfo): void {
    if (this.results[index] !== undefined) return;
    this.results[index] = this.#result(index, status, error);
    if (--this.#pending === 0 && this.#resolve !== undefined) this.#finish();
  }

  /** True when nothing awaits an ack (everything acked or failed during delivery). */
  get done(): boolean {
    return this.#pending === 0;
  }

  /**
   * Waits for the remaining acks, at most `timeoutMs` (then TIMEOUT), and honours `signal`
   * (FAILED with code CANCELLED). `onDone` runs once when the batch resolves.
   */
  wait(
    timeoutMs: number,
    signal: AbortSignal | undefined,
    onDone: (batch: AckedBatch) => void,
  ): Promise<readonly PublishResult[]> {
    return new Promise((resolve) => {
      this.#resolve = resolve;
      this.#onDone = onDone;
      this.#timer = setTimeout(() => this.settleRemaining('TIMEOUT'), timerDelay(timeoutMs));
      if (signal !== undefined) {
        this.#signal = signal;
        signal.addEventListener('abort', this.#onAbort, { once: true });
        if (signal.aborted) this.#onAbort();
      }
    });
  }

  /** Settles every envelope still waiting (timeout, cancellation, close). */
  settleRemaining(status: Status, error?: ErrorInfo): void {
    for (let i = 0; i < this.results.length && this.#pending > 0; i++) {
      if (this.results[i] === undefined) this.settle(i, status, error);
    }
  }

  #onAbort = (): void => {
    this.settleRemaining('FAILED', { code: 'CANCELLED', message: 'the publish was cancelled' });
  };

  #finish(): void {
    clearTimeout(this.#timer);
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#onDone?.(this);
    this.#resolve?.(this.results as PublishResult[]);
  }

  #result(index: number, status: Status, error: ErrorInfo | undefined): PublishResult {
    const { identity, messageId } = this.#envelopes[index]!;
    return error === undefined
      ? { identity, messageId, status }
      : { identity, messageId, status, error };
  }
}

/** setTimeout fires at once for NaN and after 1 ms beyond 2^31 - 1: clamp instead. */
function timerDelay(timeoutMs: number): number {
  return timeoutMs > 0 ? Math.min(timeoutMs, 2_147_483_647) : 0;
}

/** An acked message: the first `ack()` from any of its handlers makes the delivery DELIVERED. */
class AckedMessage implements InboundMessage {
  readonly envelope: Envelope;
  #batch: AckedBatch;
  #index: number;

  constructor(envelope: Envelope, batch: AckedBatch, index: number) {
    this.envelope = envelope;
    this.#batch = batch;
    this.#index = index;
  }

  ack(): void {
    this.#batch.settle(this.#index, 'DELIVERED');
  }
}
