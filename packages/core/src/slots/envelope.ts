/** One message for one identity, as slots carry it. */
export interface Envelope {
  /** Unique per (multicast, identity): receivers de-duplicate by it. */
  readonly messageId: string;
  readonly multicastId: string;
  readonly identity: string;
  readonly payload: Uint8Array;
  readonly contentType: string;
  /** 1 for the first delivery, then 2, 3... on redelivery. */
  readonly attempt: number;
  /** Epoch milliseconds when the multicast was accepted. */
  readonly createdAt: number;
}

/** The delivery guarantee a multicast asks for. */
export type DeliveryMode = 'at-most-once' | 'acked' | 'at-least-once';

/**
 * Per-identity outcome. SENT: handed to an at-most-once transport, delivery unknown.
 * DELIVERED: the receiver acknowledged. QUEUED: stored durably, not yet acknowledged.
 * NO_SUBSCRIBER: nobody was listening. FAILED: an error (see `error`). TIMEOUT: no ack in time.
 */
export type DeliveryStatus =
  | 'SENT'
  | 'DELIVERED'
  | 'QUEUED'
  | 'NO_SUBSCRIBER'
  | 'FAILED'
  | 'TIMEOUT';
