import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';

/** A relay from an outbox to a messaging slot (see OutboxRelay); call `start()` to run it. */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  return new OutboxRelay(options);
}
