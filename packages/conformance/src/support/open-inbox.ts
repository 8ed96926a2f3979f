import type { Envelope, InboundMessage, MessagingSlot, Unsubscribe } from '@muster/core';
import { waitForCount } from './wait-for.js';

export interface Inbox {
  readonly messages: InboundMessage[];
  envelopes(): Envelope[];
  /** Waits until `count` messages have arrived. */
  until(count: number, what: string, timeoutMs?: number): Promise<void>;
  unsubscribe: Unsubscribe;
}

/**
 * Subscribes an identity and records what arrives. `ack: true` acknowledges every message as it
 * arrives (an acked publish then reports DELIVERED); by default nothing is acknowledged.
 */
export async function openInbox(
  slot: MessagingSlot,
  namespace: string,
  identity: string,
  options: { readonly ack?: boolean } = {},
): Promise<Inbox> {
  const messages: InboundMessage[] = [];
  const unsubscribe = await slot.subscribe(namespace, identity, (message) => {
    messages.push(message);
    if (options.ack) message.ack();
  });
  return {
    messages,
    envelopes: () => messages.map((message) => message.envelope),
    until: (count, what, timeoutMs) =>
      waitForCount(() => messages.length, count, `messages for ${identity} (${what})`, {
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      }),
    unsubscribe,
  };
}
