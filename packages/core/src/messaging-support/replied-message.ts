import type { Envelope } from '../slots/envelope.js';
import type { InboundMessage } from '../slots/messaging-slot.js';

/**
 * An acked message of a request/reply transport: the first `ack()` sends the reply through
 * `reply`; later ones do nothing. A reply that cannot be sent (the connection is gone) is left
 * to show as TIMEOUT at the publisher, which is what happened: `reply` must not throw.
 */
export class RepliedMessage implements InboundMessage {
  readonly envelope: Envelope;
  readonly #reply: () => void;
  #acked = false;

  constructor(envelope: Envelope, reply: () => void) {
    this.envelope = envelope;
    this.#reply = reply;
  }

  ack(): void {
    if (this.#acked) return;
    this.#acked = true;
    this.#reply();
  }
}
