import { MusterError } from '../errors/muster-error.js';
import type { DurabilitySlot } from '../slots/durability-slot.js';
import type { DeliveryMode, DeliveryStatus, Envelope } from '../slots/envelope.js';
import type { MessagingSlot, PublishOptions, PublishResult } from '../slots/messaging-slot.js';
import type { FanOutControl } from './fan-out-control.js';
import type { IdentityDelivery } from './muster-api.js';
import { retryDelay } from './retry-delay.js';
import { slotError } from './slot-error.js';

export interface FanOutPlan {
  readonly namespace: string;
  /** The targets, sorted by identity: deliveries come back in the same order. */
  readonly targets: readonly string[];
  readonly delivery: DeliveryMode;
  readonly multicastId: string;
  readonly payload: Uint8Array;
  readonly contentType: string;
  readonly createdAt: number;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly retries: number;
  readonly control: FanOutControl;
  readonly signal: AbortSignal | undefined;
  readonly messaging: MessagingSlot;
  readonly durability: DurabilitySlot | null;
  readonly now: () => number;
  /** Called after each batch is stored durably (to wake this process's subscribers). */
  readonly onQueued: ((namespace: string, envelopes: readonly Envelope[]) => void) | undefined;
}

const AT_MOST_ONCE: ReadonlySet<DeliveryStatus> = new Set(['SENT', 'NO_SUBSCRIBER', 'FAILED']);
const ACKED: ReadonlySet<DeliveryStatus> = new Set([
  'SENT',
  'DELIVERED',
  'NO_SUBSCRIBER',
  'TIMEOUT',
  'FAILED',
]);

/**
 * Sends one envelope per target in batches of `batchSize`, at most `concurrency` batches in
 * flight: one slot call per batch, never one promise per target. A batch whose call fails with
 * UNAVAILABLE is retried (same message ids, attempt + 1) with exponential backoff and full jitter
 * while retries, the deadline and the signal allow; then its targets are FAILED with the error.
 * Fills one delivery per target into `deliveries` until the fan-out stops (timeout or abort);
 * the caller settles what is still empty then. The returned promise never settles while a slot
 * call hangs: the caller answers from the control's `onStop` instead.
 */
export async function fanOut(
  plan: FanOutPlan,
  deliveries: (IdentityDelivery | undefined)[],
): Promise<void> {
  const count = plan.targets.length;
  if (count <= plan.batchSize) {
    if (count > 0) await sendBatch(plan, deliveries, 0, count);
    return;
  }
  const batches = Math.ceil(count / plan.batchSize);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches && plan.control.reason === undefined) {
      const start = next++ * plan.batchSize;
      await sendBatch(plan, deliveries, start, Math.min(count, start + plan.batchSize));
    }
  };
  const workers = Math.min(plan.concurrency, batches);
  if (workers === 1) await worker();
  else await Promise.all(Array.from({ length: workers }, worker));
}

async function sendBatch(
  plan: FanOutPlan,
  deliveries: (IdentityDelivery | undefined)[],
  start: number,
  end: number,
): Promise<void> {
  const { control, namespace } = plan;
  let envelopes = envelopesFor(plan, start, end);
  for (let retry = 0; ; retry++) {
    let error: MusterError;
    try {
      if (plan.delivery === 'at-least-once') {
        const sequences = await plan.durability!.enqueue(namespace, envelopes, plan.now());
        if (control.reason !== undefined) return;
        if (sequences.length !== envelopes.length)
          throw new MusterError('INTERNAL', 'the durability slot did not store every message');
        for (let i = 0; i < envelopes.length; i++)
          deliveries[start + i] = { identity: envelopes[i]!.identity, status: 'QUEUED' };
        plan.onQueued?.(namespace, envelopes);
      } else {
        const options: PublishOptions = {
          mode: plan.delivery,
          // A little less than what is left, so an acked slot reports its own timeouts first.
          timeoutMs: Math.max(1, Math.floor(control.remaining()) - 2),
          ...(plan.signal === undefined ? {} : { signal: plan.signal }),
        };
        const results = await plan.messaging.publish(namespace, envelopes, options);
        if (control.reason !== undefined) return;
        const allowed = plan.delivery === 'acked' ? ACKED : AT_MOST_ONCE;
        for (let i = 0; i < envelopes.length; i++)
          deliveries[start + i] = honest(results[i], envelopes[i]!, allowed);
      }
      return;
    } catch (caught) {
      error = slotError(caught);
    }
    if (control.reason !== undefined) return;
    const delay = retryDelay(retry);
    if (error.code !== 'UNAVAILABLE' || retry >= plan.retries || delay >= control.remaining()) {
      const info = { code: error.code, message: error.message };
      for (let i = start; i < end; i++)
        deliveries[i] = { identity: plan.targets[i]!, status: 'FAILED', error: info };
      return;
    }
    await control.sleep(delay);
    if (control.reason !== undefined) return;
    envelopes = envelopes.map((envelope) => ({ ...envelope, attempt: envelope.attempt + 1 }));
  }
}

function envelopesFor(plan: FanOutPlan, start: number, end: number): Envelope[] {
  const { targets, multicastId, payload, contentType, createdAt } = plan;
  const envelopes = new Array<Envelope>(end - start);
  for (let i = start; i < end; i++) {
    envelopes[i - start] = {
      messageId: `${multicastId}-${i}`,
      multicastId,
      identity: targets[i]!,
      payload,
      contentType,
      attempt: 1,
      createdAt,
    };
  }
  return envelopes;
}

/**
 * The slot's result as the report shows it: identity, status and error only (a new small
 * object: the slot's result also carries the message id, which every kept report would then
 * hold one string per target of). A fire-and-forget transport cannot know of a delivery, so
 * DELIVERED from it is reported as SENT.
 */
function honest(
  result: PublishResult | undefined,
  envelope: Envelope,
  allowed: ReadonlySet<DeliveryStatus>,
): IdentityDelivery {
  if (result !== undefined && result.identity === envelope.identity) {
    if (allowed.has(result.status))
      return result.error === undefined
        ? { identity: result.identity, status: result.status }
        : { identity: result.identity, status: result.status, error: result.error };
    if (result.status === 'DELIVERED') return { identity: envelope.identity, status: 'SENT' };
  }
  return {
    identity: envelope.identity,
    status: 'FAILED',
    error: {
      code: 'INTERNAL',
      message: 'the messaging slot gave no valid result for this identity',
    },
  };
}
