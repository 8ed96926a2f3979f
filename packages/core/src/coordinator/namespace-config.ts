import type { FilterLimits } from '@muster/filter';
import type { IdentitySchema } from '../identity/identity-schema.js';

/** Settings of one namespace. Every field has a default (see DEFAULT_NAMESPACE_CONFIG). */
export interface NamespaceConfig {
  readonly schema?: IdentitySchema;
  /** TTL applied when register gives none; undefined for no TTL. */
  readonly ttlDefaultMs?: number;
  /** Longest TTL a register or heartbeat may ask for (INVALID_ARGUMENT beyond). */
  readonly maxTtlMs: number;
  /** Most live identities (QUOTA_EXCEEDED beyond); undefined for no quota. */
  readonly maxIdentities?: number;
  /** Largest metadata, as UTF-8 JSON bytes. */
  readonly maxMetadataBytes: number;
  /** Deepest metadata nesting (objects and arrays). */
  readonly maxMetadataDepth: number;
  readonly enumerateDefaultLimit: number;
  readonly enumerateMaxLimit: number;
  readonly filterLimits?: Partial<FilterLimits>;
  /** Envelopes per messaging/durability call during fan-out. */
  readonly multicastBatchSize: number;
  /** Batches in flight at once during fan-out. */
  readonly multicastConcurrency: number;
  /** Default multicast timeout (acked waits, retries and queueing all fit inside it). */
  readonly multicastTimeoutMs: number;
  /** Retries of a failed batch (exponential backoff with jitter, within the timeout). */
  readonly multicastRetries: number;
  /** Messages buffered per subscriber before overflow is reported (slow consumers never block others). */
  readonly subscriberBufferSize: number;
  /**
   * How long `getMulticast` finds a multicast's report, from when the multicast was accepted
   * (at most MAX_REPORT_RETENTION_MS).
   */
  readonly reportRetentionMs: number;
}

/** The longest report retention a namespace may ask for: 7 days. */
export const MAX_REPORT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export const DEFAULT_NAMESPACE_CONFIG: NamespaceConfig = Object.freeze({
  maxTtlMs: 24 * 60 * 60 * 1000,
  maxMetadataBytes: 64 * 1024,
  maxMetadataDepth: 16,
  enumerateDefaultLimit: 100,
  enumerateMaxLimit: 1000,
  multicastBatchSize: 500,
  multicastConcurrency: 4,
  multicastTimeoutMs: 5000,
  multicastRetries: 2,
  subscriberBufferSize: 1000,
  reportRetentionMs: 60 * 60 * 1000,
});
