import type { Envelope } from '../slots/envelope.js';
import type { InboundMessage } from '../slots/messaging-slot.js';

/** An at-most-once message: nothing waits for its ack. */
export class SentMessage implements InboundMessage {
  constructor(readonly envelope: Envelope) {}

  ack(): void {}
}
