import { MusterError } from '../errors/muster-error.js';
import type { Message } from './muster-api.js';

/**
 * Where a subscription opened with `onMessage` puts its messages: straight into the callback, in
 * order, with no buffer, no promise and no iterator step per message. The callback runs inside
 * the delivery: a subscriber that needs time queues the work itself. A callback that throws
 * loses nothing for the others: the error is reported once per subscription as a process
 * warning, and delivery goes on (an acked message it did not ack times out, a durable one is
 * redelivered).
 */
export class MessageCallbackSink {
  readonly #onMessage: (message: Message) => void;
  readonly #onTake: (message: Message) => void;
  readonly #identity: string;
  #ended = false;
  #warned = false;

  constructor(
    onMessage: (message: Message) => void,
    onTake: (message: Message) => void,
    identity: string,
  ) {
    this.#onMessage = onMessage;
    this.#onTake = onTake;
    this.#identity = identity;
  }

  /** Nothing waits here: the callback has taken every message already. */
  get size(): number {
    return 0;
  }

  push(message: Message): void {
    if (this.#ended) return;
    this.#onTake(message);
    try {
      this.#onMessage(message);
    } catch (error) {
      if (this.#warned) return;
      this.#warned = true;
      process.emitWarning(
        `muster: the onMessage callback of ${this.#identity}'s subscription threw (${String(error)}); delivery goes on`,
        { code: 'MUSTER_ON_MESSAGE_THREW' },
      );
    }
  }

  next(): Promise<IteratorResult<Message>> {
    return Promise.reject(
      new MusterError(
        'INVALID_ARGUMENT',
        'this subscription hands its messages to its onMessage callback; it cannot be iterated',
        { details: { field: 'onMessage' } },
      ),
    );
  }

  end(): void {
    this.#ended = true;
  }
}
