import type { FilterNode } from '@muster/filter';
import type { Clock } from '../clock/clock.js';
import type { DurabilitySlot } from '../slots/durability-slot.js';
import type { DeliveryMode } from '../slots/envelope.js';
import type { IdentityRecord, Metadata } from '../slots/identity-record.js';
import type { MessagingSlot } from '../slots/messaging-slot.js';
import type { IdentityDelivery, MulticastReport } from '../slots/multicast-report.js';
import type { RegistrySlot } from '../slots/registry-slot.js';
import type { NamespaceConfig } from './namespace-config.js';

// Defined beside the slot contracts (the durability slot stores reports); re-exported here.
export type { IdentityDelivery, MulticastReport };

/** A filter as callers give it: the string syntax, the JSON form, or a parsed AST. */
export type FilterInput = string | Readonly<Record<string, unknown>> | FilterNode;

export interface MusterOptions {
  /** Default: a new in-memory registry. */
  readonly registry?: RegistrySlot;
  /** Default: a new in-memory messaging slot. */
  readonly messaging?: MessagingSlot;
  /** Default: a new in-memory durability slot. Needed for at-least-once delivery. */
  readonly durability?: DurabilitySlot | null;
  readonly clock?: Clock;
  /** Per-namespace settings; other namespaces get the defaults (unless `strictNamespaces`). */
  readonly namespaces?: Readonly<Record<string, Partial<NamespaceConfig>>>;
  /** When true, a namespace not in `namespaces` is NOT_FOUND. Default false. */
  readonly strictNamespaces?: boolean;
  /** How often the sweeper removes expired identities (ms); 0 disables it. Default 1000. */
  readonly sweepIntervalMs?: number;
}

export interface RegisterRequest {
  readonly identity: string;
  readonly metadata?: Metadata;
  /** TTL in ms; default the namespace's ttlDefaultMs; bounded by maxTtlMs. */
  readonly ttlMs?: number;
  /** Replace an existing registration instead of failing with ALREADY_EXISTS. Default false. */
  readonly replace?: boolean;
}

export interface RegisterResult {
  readonly identity: string;
  readonly registeredAt: number;
  readonly expiresAt: number | null;
}

export interface HeartbeatResult {
  readonly identity: string;
  readonly expiresAt: number | null;
}

export interface SortSpec {
  /** A metadata path (`"a.b"`), or `registered_at` / `identity`. */
  readonly by: string;
  readonly direction?: 'asc' | 'desc';
}

export interface EnumerateRequest {
  readonly filter?: FilterInput;
  /** Default 100, at most the namespace's enumerateMaxLimit. */
  readonly limit?: number;
  readonly cursor?: string;
  /** e.g. `[{ by: 'battery_level', direction: 'desc' }]`; identity ascending breaks ties. */
  readonly sort?: readonly SortSpec[];
  /** Default true. */
  readonly includeMetadata?: boolean;
  /** Default false. UNSUPPORTED when the registry cannot count. */
  readonly totalCount?: boolean;
}

export interface EnumerateResult {
  readonly identities: readonly IdentityRecord[];
  readonly nextCursor?: string;
  readonly totalCount?: number;
}

export interface MulticastRequest {
  /** Targets: identities matching at publish time; omitted for all. */
  readonly filter?: FilterInput;
  readonly payload: Uint8Array | string;
  /** Default `application/octet-stream` (`text/plain; charset=utf-8` for a string payload). */
  readonly contentType?: string;
  /** Default 'at-most-once'. */
  readonly delivery?: DeliveryMode;
  /** Default the namespace's multicastTimeoutMs. */
  readonly timeoutMs?: number;
  /** A repeated multicast with the same key (in the namespace) returns the first one's report. */
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
}

export interface Message {
  readonly messageId: string;
  readonly multicastId: string;
  readonly identity: string;
  readonly payload: Uint8Array;
  readonly contentType: string;
  readonly attempt: number;
  /** Acknowledges an acked or at-least-once message (no-op for at-most-once). */
  ack(): Promise<void>;
}

export interface SubscribeOptions {
  readonly signal?: AbortSignal;
  /**
   * Receive by callback instead of iterating: each message is handed to `onMessage` as it
   * arrives, in the same order (queued ones first), with no promise per message and no buffer
   * to overflow (only live messages held while the queued backlog is still being read are
   * bounded, as for an iterator). The subscription then cannot be iterated.
   */
  readonly onMessage?: (message: Message) => void;
}

/**
 * Messages for one identity: queued ones first, then live ones, in order (iterated, or handed
 * to the `onMessage` callback it was opened with).
 */
export interface Subscription extends AsyncIterable<Message> {
  /** Messages dropped because this subscriber fell behind (its buffer was full). */
  readonly overflowed: number;
  close(): Promise<void>;
}

export interface WatchRequest {
  readonly filter?: FilterInput;
  /** Emit `added` for every identity matching when the watch starts. Default false. */
  readonly initial?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * A live query's event: `added` when an identity starts matching (registered, or updated into
 * the filter), `changed` when a matching identity is updated and still matches, `removed` when
 * it stops matching (updated out of the filter, unregistered or expired). `reason` says which.
 */
export interface WatchEvent {
  readonly type: 'added' | 'changed' | 'removed';
  readonly reason: 'initial' | 'registered' | 'updated' | 'unregistered' | 'expired';
  readonly identity: string;
  /** The record after the change; for `removed`, the last known record. */
  readonly record?: IdentityRecord;
  readonly at: number;
}

export interface Watch extends AsyncIterable<WatchEvent> {
  close(): Promise<void>;
}

/** The coordinator: RFC-017's operations, per namespace, over the three slots. */
export interface Muster {
  register(namespace: string, request: RegisterRequest): Promise<RegisterResult>;
  heartbeat(
    namespace: string,
    identity: string,
    options?: { readonly ttlMs?: number },
  ): Promise<HeartbeatResult>;
  /** Heartbeats many identities in one registry round trip; returns those that were gone. */
  heartbeatMany(
    namespace: string,
    identities: readonly string[],
    options?: { readonly ttlMs?: number },
  ): Promise<{ readonly missing: readonly string[] }>;
  /** Idempotent: unregistering a missing identity is not an error. */
  unregister(namespace: string, identity: string): Promise<{ readonly removed: boolean }>;
  get(namespace: string, identity: string): Promise<IdentityRecord>;
  enumerate(namespace: string, request?: EnumerateRequest): Promise<EnumerateResult>;
  multicast(namespace: string, request: MulticastRequest): Promise<MulticastReport>;
  /**
   * A multicast's report by id, for `reportRetentionMs` after it was accepted: at-least-once
   * targets go from QUEUED to DELIVERED as their receivers ack. Shared by every coordinator on
   * a durability slot that `supports.reports`; otherwise kept by this coordinator only.
   * NOT_FOUND when unknown or expired; INVALID_ARGUMENT for a malformed id.
   */
  getMulticast(namespace: string, multicastId: string): Promise<MulticastReport>;
  subscribe(namespace: string, identity: string, options?: SubscribeOptions): Promise<Subscription>;
  watch(namespace: string, request?: WatchRequest): Promise<Watch>;
  /** Runs one sweep now (the sweeper does this periodically); returns how many expired. */
  sweep(): Promise<number>;
  close(): Promise<void>;
}
