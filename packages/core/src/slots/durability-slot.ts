import type { Envelope } from './envelope.js';
import type { DeliveryMark, MulticastReport } from './multicast-report.js';
import type { Unsubscribe } from './registry-slot.js';

export interface DurabilitySupports {
  /** `retention` by age and length is enforced. */
  readonly retention: boolean;
  /** `onAvailable` notifies readers of new messages (otherwise the coordinator polls). */
  readonly notify: boolean;
  /** Other processes see the same queues. */
  readonly distributed: boolean;
  /**
   * Multicast reports are stored (`saveReport`, `markDelivered`, `loadReport`), so every
   * coordinator on this slot can read any multicast's report by id. Absent or false: the
   * methods are absent and each coordinator keeps its own reports in process.
   */
  readonly reports?: boolean;
}

export interface RetentionPolicy {
  /** Messages older than this are dropped (ms); undefined for no age limit. */
  readonly maxAgeMs?: number;
  /** At most this many messages per identity; the oldest are dropped first. */
  readonly maxLength?: number;
}

/** A stored message and its position in its identity's queue (increasing, never reused). */
export interface QueuedMessage {
  readonly sequence: number;
  readonly envelope: Envelope;
}

/**
 * The durability slot (optional): one ordered queue per identity, for identities that are
 * offline or need at-least-once delivery. Messages stay until acked, purged or dropped by
 * retention.
 */
export interface DurabilitySlot {
  readonly supports: DurabilitySupports;

  /** Appends each envelope to its identity's queue; returns the sequences, in input order. */
  enqueue(
    namespace: string,
    envelopes: readonly Envelope[],
    now: number,
  ): Promise<readonly number[]>;

  /** Unacked messages of one identity with sequence > `after` (default: from the start), in order. */
  read(
    namespace: string,
    identity: string,
    options: { readonly after?: number; readonly limit: number },
    now: number,
  ): Promise<readonly QueuedMessage[]>;

  /** Acknowledges messages; acking twice or acking a dropped message is not an error. */
  ack(namespace: string, identity: string, sequences: readonly number[]): Promise<void>;

  /** Drops an identity's whole queue (on unregister). */
  purge(namespace: string, identity: string): Promise<void>;

  /** Applies retention now (the coordinator also calls it periodically). */
  trim(namespace: string, now: number): Promise<void>;

  /** Calls `listener` when messages are enqueued for the identity (when `supports.notify`). */
  onAvailable?(namespace: string, identity: string, listener: () => void): Promise<Unsubscribe>;

  /**
   * Stores a multicast's final report until `expiresAt` (epoch ms), under (namespace,
   * report.multicastId); saving the same id again replaces the report. Marks recorded before
   * the save (a receiver may ack before the report lands) apply to it. When `supports.reports`.
   */
  saveReport?(namespace: string, report: MulticastReport, expiresAt: number): Promise<void>;

  /**
   * Records that receivers acked their at-least-once messages. Idempotent. A mark for a report
   * not saved yet is kept until its `expiresAt` and applies when the report is saved; a mark
   * never shortens a saved report's life. When `supports.reports`.
   */
  markDelivered?(namespace: string, marks: readonly DeliveryMark[], now: number): Promise<void>;

  /**
   * The report as saved, with every marked target DELIVERED (without `error`) and
   * `deliveredCount` recomputed; marks for identities that are not targets are ignored.
   * Undefined when unknown or expired (`now >= expiresAt`). When `supports.reports`.
   */
  loadReport?(
    namespace: string,
    multicastId: string,
    now: number,
  ): Promise<MulticastReport | undefined>;

  /** Releases the backend. Idempotent; afterwards every other call rejects with UNAVAILABLE. */
  close(): Promise<void>;
}
