import type { DeliveryStatus } from './envelope.js';

/** One target's outcome in a multicast report. */
export interface IdentityDelivery {
  readonly identity: string;
  readonly status: DeliveryStatus;
  readonly error?: { readonly code: string; readonly message: string };
  /**
   * The id of the message sent to this identity, when the report's author gives it. The
   * coordinator's reports leave it out (receivers see `<multicastId>-<index>` on the message);
   * a slot that stores reports keeps it when present.
   */
  readonly messageId?: string;
}

/** What a multicast did, per target: returned by `multicast`, kept for `getMulticast`. */
export interface MulticastReport {
  readonly multicastId: string;
  readonly targetCount: number;
  /** Statuses DELIVERED. */
  readonly deliveredCount: number;
  /** One per target, sorted by identity. */
  readonly deliveries: readonly IdentityDelivery[];
}

/**
 * A receiver acknowledged its at-least-once message of a multicast: the stored report shows
 * DELIVERED for `identity`. `expiresAt` (epoch ms) bounds how long a mark that arrives before
 * its report is kept waiting for it.
 */
export interface DeliveryMark {
  readonly multicastId: string;
  readonly identity: string;
  readonly expiresAt: number;
}
