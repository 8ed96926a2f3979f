import type { Envelope, MessagingSlot, PublishResult } from '@muster/core';
import { plainMode } from './messaging-suite-context.js';

/**
 * Publishes a batch in the slot's plain mode (at-most-once, or acked when that is all it has:
 * the suites' inboxes then acknowledge everything).
 */
export function send(
  slot: MessagingSlot,
  namespace: string,
  envelopes: readonly Envelope[],
): Promise<readonly PublishResult[]> {
  return slot.publish(namespace, envelopes, { mode: plainMode(slot.supports), timeoutMs: 10_000 });
}

/** The status a plain publish reports for a subscribed identity. */
export function deliveredStatus(slot: MessagingSlot): 'SENT' | 'DELIVERED' {
  return plainMode(slot.supports) === 'at-most-once' ? 'SENT' : 'DELIVERED';
}
