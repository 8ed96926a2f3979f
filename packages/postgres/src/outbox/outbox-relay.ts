import {
  type Envelope,
  type MessagingSlot,
  MusterError,
  type PublishMode,
  type PublishResult,
} from '@muster/core';
import type { ClaimedTarget, TargetOutcome } from './outbox-types.js';
import type { PostgresOutbox } from './postgres-outbox.js';

export interface OutboxRelayOptions {
  readonly outbox: PostgresOutbox;
  /** Where the messages go (Kafka in RFC-017's example). The relay does not close it. */
  readonly messaging: MessagingSlot;
  /** Pause between polls when the outbox had nothing (more) to relay. Default 100 ms. */
  readonly pollIntervalMs?: number;
  /** Targets claimed, published and marked per transaction. Default 100. */
  readonly batchSize?: number;
  /** Publish mode. Default 'at-most-once'; 'acked' needs a slot with `supports.acked`. */
  readonly mode?: PublishMode;
  /** For 'acked': how long to wait for each ack (ms). Default 5,000. */
  readonly ackTimeoutMs?: number;
  /**
   * Attempts of a target whose publish failed with UNAVAILABLE (the transport may come back)
   * before it is marked FAILED for good. Default 10. Other failures are final at once.
   */
  readonly maxAttempts?: number;
  /** Told about failed batches (the relay keeps polling) and failing hooks. */
  readonly onError?: (error: unknown) => void;
  /**
   * Runs after a batch was published and before it is marked published (the commit). For
   * metrics and fault tests: a crash here republishes the batch with the same message ids.
   */
  readonly afterPublish?: (targets: readonly ClaimedTarget[]) => void | Promise<void>;
}

/** Longest wait before retrying a target whose publish failed with UNAVAILABLE. */
const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Publishes the outbox's pending targets to a messaging slot: claim a batch (FOR UPDATE SKIP
 * LOCKED, so several relays share the work without overlap), publish it with the stored
 * message ids, mark it published with each target's publish status, commit. Delivery is
 * at-least-once with stable message ids: a relay that dies after publishing and before the
 * commit leaves the batch pending, and the next relay publishes the same messages again;
 * receivers that de-duplicate by message id see each (multicast, identity) once.
 */
export class OutboxRelay {
  readonly #outbox: PostgresOutbox;
  readonly #messaging: MessagingSlot;
  readonly #pollIntervalMs: number;
  readonly #batchSize: number;
  readonly #mode: PublishMode;
  readonly #ackTimeoutMs: number;
  readonly #maxAttempts: number;
  readonly #onError: ((error: unknown) => void) | undefined;
  readonly #afterPublish: OutboxRelayOptions['afterPublish'];
  #loop: Promise<void> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;

  constructor(options: OutboxRelayOptions) {
    if (typeof options !== 'object' || options === null)
      throw invalid('relay options must be an object', 'options');
    if (typeof options.outbox?.processPending !== 'function')
      throw invalid('outbox must be a PostgresOutbox', 'outbox');
    if (typeof options.messaging?.publish !== 'function')
      throw invalid('messaging must be a MessagingSlot', 'messaging');
    this.#outbox = options.outbox;
    this.#messaging = options.messaging;
    this.#pollIntervalMs = positiveInteger(options.pollIntervalMs ?? 100, 'pollIntervalMs');
    this.#batchSize = positiveInteger(options.batchSize ?? 100, 'batchSize');
    this.#ackTimeoutMs = positiveInteger(options.ackTimeoutMs ?? 5_000, 'ackTimeoutMs');
    this.#maxAttempts = positiveInteger(options.maxAttempts ?? 10, 'maxAttempts');
    this.#mode = options.mode ?? 'at-most-once';
    if (this.#mode !== 'at-most-once' && this.#mode !== 'acked')
      throw invalid(`mode must be 'at-most-once' or 'acked'`, 'mode');
    if (this.#mode === 'acked' && !options.messaging.supports.acked)
      throw new MusterError('UNSUPPORTED', 'the messaging slot has no acked delivery', {
        details: { field: 'mode' },
      });
    this.#onError = options.onError;
    this.#afterPublish = options.afterPublish;
  }

  /** Whether the polling loop runs. */
  get running(): boolean {
    return this.#loop !== undefined;
  }

  /** Starts polling (idempotent). */
  start(): void {
    if (this.#loop !== undefined) return;
    this.#stopping = false;
    this.#loop = this.#poll().finally(() => {
      this.#loop = undefined;
    });
  }

  /** Stops polling; resolves once the batch in progress is committed or rolled back. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
  }

  /** Relays one batch now; returns how many targets it claimed (0: nothing was due). */
  relayOnce(): Promise<number> {
    return this.#outbox.processPending(this.#batchSize, (targets) => this.#publish(targets));
  }

  async #poll(): Promise<void> {
    while (!this.#stopping) {
      let claimed = 0;
      try {
        claimed = await this.relayOnce();
      } catch (error) {
        this.#report(error);
      }
      // A full batch suggests more is waiting: go on at once.
      if (claimed < this.#batchSize && !this.#stopping) await this.#sleep(this.#pollIntervalMs);
    }
  }

  async #publish(targets: readonly ClaimedTarget[]): Promise<readonly TargetOutcome[]> {
    const byNamespace = new Map<string, ClaimedTarget[]>();
    for (const target of targets) {
      const group = byNamespace.get(target.namespace);
      if (group === undefined) byNamespace.set(target.namespace, [target]);
      else group.push(target);
    }
    const outcomes: TargetOutcome[] = [];
    for (const [namespace, group] of byNamespace) {
      let results: readonly (PublishResult | undefined)[];
      try {
        results = await this.#messaging.publish(namespace, group.map(envelopeOf), {
          mode: this.#mode,
          timeoutMs: this.#ackTimeoutMs,
        });
      } catch (error) {
        const failure = errorOf(error);
        results = group.map(() => ({ status: 'FAILED', error: failure }) as PublishResult);
      }
      group.forEach((target, i) => {
        outcomes.push(this.#outcome(target, results[i]));
      });
    }
    if (this.#afterPublish !== undefined) {
      try {
        await this.#afterPublish(targets);
      } catch (error) {
        this.#report(error);
      }
    }
    return outcomes;
  }

  /** Final unless the transport was unavailable and attempts remain; then retried later. */
  #outcome(target: ClaimedTarget, result: PublishResult | undefined): TargetOutcome {
    const checked: Pick<PublishResult, 'status' | 'error'> =
      result === undefined
        ? { status: 'FAILED', error: { code: 'INTERNAL', message: 'the slot returned no result' } }
        : result;
    const attempt = target.attempts + 1;
    if (
      checked.status === 'FAILED' &&
      checked.error?.code === 'UNAVAILABLE' &&
      attempt < this.#maxAttempts
    ) {
      const delay = Math.min(MAX_RETRY_DELAY_MS, this.#pollIntervalMs * 2 ** attempt);
      return { id: target.id, result: checked, retryAt: Date.now() + delay };
    }
    return { id: target.id, result: checked };
  }

  /** Waits `ms`, or less when `stop()` is called meanwhile. */
  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.#wake = finish;
    });
  }

  #report(error: unknown): void {
    try {
      this.#onError?.(error);
    } catch {
      // A failing error handler must not stop the relay.
    }
  }
}

function envelopeOf(target: ClaimedTarget): Envelope {
  return {
    messageId: target.messageId,
    multicastId: target.multicastId,
    identity: target.identity,
    payload: target.payload,
    contentType: target.contentType,
    attempt: target.attempts + 1,
    createdAt: target.createdAt,
  };
}

function errorOf(error: unknown): { code: string; message: string } {
  if (MusterError.is(error)) return { code: error.code, message: error.message };
  return { code: 'UNAVAILABLE', message: error instanceof Error ? error.message : String(error) };
}

function positiveInteger(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw invalid(`${field} must be a positive integer`, field);
  return value;
}

function invalid(message: string, field: string): MusterError {
  return new MusterError('INVALID_ARGUMENT', message, { details: { field } });
}
