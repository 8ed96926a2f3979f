import type { DeliveryStatus, PublishResult } from '@muster/core';
import type pg from 'pg';
import type { OutboxFilterInput } from './resolve-outbox-filter.js';

/** One multicast to write to the outbox. */
export interface OutboxMulticastRequest {
  readonly namespace: string;
  /** Targets: live identities of the namespace matching at write time; omitted for all. */
  readonly filter?: OutboxFilterInput;
  readonly payload: Uint8Array | string;
  /** Default `application/octet-stream` (`text/plain; charset=utf-8` for a string payload). */
  readonly contentType?: string;
  /**
   * A second multicast with the same key in the namespace writes nothing and returns the first
   * one's id (for as long as the first is kept: `prune` forgets it).
   */
  readonly idempotencyKey?: string;
  /**
   * Run inside this client's transaction (a `pg.Client` or a checked-out `pg.PoolClient` after
   * BEGIN): the multicast commits or rolls back with the caller's own writes. Default: the
   * outbox's pool, one statement, its own transaction.
   */
  readonly client?: pg.ClientBase;
  /** Epoch ms: the multicast's createdAt and the instant the targets' expiry is judged at. Default Date.now(). */
  readonly now?: number;
}

export interface OutboxMulticastResult {
  readonly multicastId: string;
  /** Targets written (by the first call, for a repeated idempotency key). */
  readonly targetCount: number;
  /** False when the idempotency key was used before and nothing was written. */
  readonly created: boolean;
}

/** One target's state: QUEUED while the relay has not published it, then the publish status. */
export interface OutboxDelivery {
  readonly identity: string;
  readonly messageId: string;
  readonly status: DeliveryStatus;
  /** Publish attempts so far. */
  readonly attempts: number;
  /** Epoch ms when the relay marked it published (absent while QUEUED). */
  readonly publishedAt?: number;
  readonly error?: { readonly code: string; readonly message: string };
}

/** A multicast's per-identity report, read from the outbox tables. */
export interface OutboxReport {
  readonly multicastId: string;
  readonly namespace: string;
  readonly idempotencyKey?: string;
  /** The filter as written (the filter syntax). */
  readonly filter: string;
  readonly contentType: string;
  readonly createdAt: number;
  readonly targetCount: number;
  /** Targets still QUEUED. */
  readonly pendingCount: number;
  /** Targets with status DELIVERED. */
  readonly deliveredCount: number;
  /** One per target, sorted by identity. */
  readonly deliveries: readonly OutboxDelivery[];
}

/** A pending target claimed by a relay, with what its envelope needs. */
export interface ClaimedTarget {
  /** The target row's id (a bigint, as text). */
  readonly id: string;
  readonly namespace: string;
  readonly multicastId: string;
  readonly identity: string;
  readonly messageId: string;
  /** Publish attempts before this one. */
  readonly attempts: number;
  readonly payload: Uint8Array;
  readonly contentType: string;
  readonly createdAt: number;
}

/** What became of a claimed target: published (final) or to be tried again at `retryAt`. */
export interface TargetOutcome {
  readonly id: string;
  readonly result: Pick<PublishResult, 'status' | 'error'>;
  /** Epoch ms of the next attempt; undefined marks the target published for good. */
  readonly retryAt?: number;
}
