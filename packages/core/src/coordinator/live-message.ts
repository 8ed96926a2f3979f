import type { InboundMessage } from '../slots/messaging-slot.js';
import type { Message } from './muster-api.js';
import { slotError } from './slot-error.js';

const ACKED: Promise<void> = Promise.resolve();

/**
 * A message from the messaging slot (at-most-once or acked); `ack` completes an acked one.
 * Fields read through to the envelope: one small object per message on the fan-out's hot path.
 */
export class LiveMessage implements Message {
  readonly #inbound: InboundMessage;

  constructor(inbound: InboundMessage) {
    this.#inbound = inbound;
  }

  get messageId(): string {
    return this.#inbound.envelope.messageId;
  }

  get multicastId(): string {
    return this.#inbound.envelope.multicastId;
  }

  get identity(): string {
    return this.#inbound.envelope.identity;
  }

  get payload(): Uint8Array {
    return this.#inbound.envelope.payload;
  }

  get contentType(): string {
    return this.#inbound.envelope.contentType;
  }

  get attempt(): number {
    return this.#inbound.envelope.attempt;
  }

  ack(): Promise<void> {
    try {
      this.#inbound.ack();
    } catch (error) {
      return Promise.reject(slotError(error));
    }
    return ACKED;
  }

  toJSON(): Omit<Message, 'ack'> {
    const { messageId, multicastId, identity, payload, contentType, attempt } = this;
    return { messageId, multicastId, identity, payload, contentType, attempt };
  }
}
