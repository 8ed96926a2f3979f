import type { QueuedMessage } from '../slots/durability-slot.js';
import type { Message } from './muster-api.js';

/** What a durable message needs from its subscription. */
export interface DurableAcker {
  /** `createdAt`: when the message's multicast was accepted (its report's retention starts). */
  ackDurable(sequence: number, multicastId: string, createdAt: number): Promise<void>;
}

/**
 * A message read from the identity's durable queue; `ack` removes it from the queue and marks
 * the identity DELIVERED in the multicast's report.
 */
export class DurableMessage implements Message {
  readonly messageId: string;
  readonly multicastId: string;
  readonly identity: string;
  readonly payload: Uint8Array;
  readonly contentType: string;
  readonly attempt: number;
  readonly sequence: number;
  readonly #createdAt: number;
  readonly #acker: DurableAcker;

  /** `previous`: earlier unacked deliveries of this message (they raise `attempt`). */
  constructor(queued: QueuedMessage, previous: number, acker: DurableAcker) {
    const envelope = queued.envelope;
    this.messageId = envelope.messageId;
    this.multicastId = envelope.multicastId;
    this.identity = envelope.identity;
    this.payload = envelope.payload;
    this.contentType = envelope.contentType;
    this.attempt = envelope.attempt + previous;
    this.sequence = queued.sequence;
    this.#createdAt = envelope.createdAt;
    this.#acker = acker;
  }

  ack(): Promise<void> {
    return this.#acker.ackDurable(this.sequence, this.multicastId, this.#createdAt);
  }
}
