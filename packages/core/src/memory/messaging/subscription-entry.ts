import type { InboundMessage } from '../../slots/messaging-slot.js';

/** One `subscribe` call. `active` turns false on unsubscribe, even mid-delivery. */
export interface SubscriptionEntry {
  readonly onMessage: (message: InboundMessage) => void;
  active: boolean;
}
