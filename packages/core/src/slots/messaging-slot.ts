import type { Envelope } from './envelope.js';
import type { Unsubscribe } from './registry-slot.js';

export interface MessagingSupports {
  /** Fire-and-forget publish (status SENT, or NO_SUBSCRIBER when `presence`). */
  readonly atMostOnce: boolean;
  /** Request/reply: the receiver's ack comes back (DELIVERED / NO_SUBSCRIBER / TIMEOUT). */
  readonly acked: boolean;
  /** The transport knows at publish time whether anybody subscribes to an identity. */
  readonly presence: boolean;
  /** Subscribers on other processes receive messages (false for a process-local transport). */
  readonly distributed: boolean;
}

/** A message handed to a subscriber. `ack` completes an acked delivery (no-op otherwise). */
export interface InboundMessage {
  readonly envelope: Envelope;
  ack(): void;
}

export type PublishMode = 'at-most-once' | 'acked';

export interface PublishOptions {
  readonly mode: PublishMode;
  /** For 'acked': how long to wait for each ack. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface PublishResult {
  readonly identity: string;
  readonly messageId: string;
  readonly status: 'SENT' | 'DELIVERED' | 'NO_SUBSCRIBER' | 'TIMEOUT' | 'FAILED';
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * The messaging slot: moves envelopes to subscribed identities. `publish` takes a whole batch
 * (batching is where fan-out speed comes from) and returns one result per envelope, in order.
 * Identities are encoded by the adapter wherever they become subjects, topics or keys.
 */
export interface MessagingSlot {
  readonly supports: MessagingSupports;

  publish(
    namespace: string,
    envelopes: readonly Envelope[],
    options: PublishOptions,
  ): Promise<readonly PublishResult[]>;

  /**
   * Delivers every message for the identity to `onMessage`, in publish order per publisher.
   * Several subscriptions to one identity each receive every message. Resolves once the
   * subscription is live: a publish after that reaches it.
   */
  subscribe(
    namespace: string,
    identity: string,
    onMessage: (message: InboundMessage) => void,
  ): Promise<Unsubscribe>;

  /** Releases the backend. Idempotent; afterwards every other call rejects with UNAVAILABLE. */
  close(): Promise<void>;
}
