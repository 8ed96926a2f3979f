import { AckedPublishWait } from '../../messaging-support/acked-publish-wait.js';
import type { Envelope } from '../../slots/envelope.js';
import type { InboundMessage } from '../../slots/messaging-slot.js';

/** The pending half of one acked in-memory `publish`: hands out the messages whose acks it waits for. */
export class AckedBatch extends AckedPublishWait {
  readonly #envelopes: readonly Envelope[];

  constructor(envelopes: readonly Envelope[]) {
    super(envelopes);
    this.#envelopes = envelopes;
  }

  /** The message to hand to an envelope's handlers; its first `ack()` settles it DELIVERED. */
  expect(index: number): InboundMessage {
    return new AckedMessage(this.#envelopes[index]!, this, index);
  }
}

/** An acked message: the first `ack()` from any of its handlers makes the delivery DELIVERED. */
class AckedMessage implements InboundMessage {
  readonly envelope: Envelope;
  #batch: AckedBatch;
  #index: number;

  constructor(envelope: Envelope, batch: AckedBatch, index: number) {
    this.envelope = envelope;
    this.#batch = batch;
    this.#index = index;
  }

  ack(): void {
    this.#batch.settle(this.#index, 'DELIVERED');
  }
}
