import type { FilterNode, Path } from '@muster/filter';
import type { IdentityRecord } from './identity-record.js';

/**
 * What a registry adapter can do, declared as data. The coordinator and the conformance kit read
 * it; nothing type-sniffs adapters. Truthy means supported.
 */
export interface RegistrySupports {
  /** 'exact': enumerate applies the filter natively and exactly; 'partial': returns a superset
   * (pages say `exact: false`) and the coordinator refines; 'none': ignores the filter. */
  readonly filter: 'exact' | 'partial' | 'none';
  /** 'native': the backend expires entries itself; 'sweep': only `sweep` removes them. Either way
   * expired entries are invisible to reads at once. */
  readonly ttl: 'native' | 'sweep';
  /** 'caller': the adapter uses the `now` it is given (tests can control time); 'server': the
   * backend's own clock decides expiry. */
  readonly clock: 'caller' | 'server';
  /** Sorting by metadata paths (identity and registeredAt sorts are always supported). */
  readonly sort: boolean;
  /** Pages can carry `totalCount`. */
  readonly count: boolean;
  /** `watch` delivers change events, including those made through other coordinators. */
  readonly watch: boolean;
  /** `put` enforces `quota` atomically. */
  readonly quota: boolean;
  /** Fields marked `index: true` in an identity schema get backend indexes (`ensureIndexes`). */
  readonly indexes: boolean;
}

export type SortField = { readonly path: Path } | { readonly field: 'registeredAt' | 'identity' };

export interface SortKey {
  readonly by: SortField;
  readonly direction: 'asc' | 'desc';
}

export interface EnumerateQuery {
  /** The filter AST; `{ kind: 'all' }` for everything. */
  readonly filter: FilterNode;
  /** Most items in this page (1..the namespace's max). */
  readonly limit: number;
  /** The `nextCursor` of the previous page, opaque; a malformed one is INVALID_ARGUMENT. */
  readonly cursor?: string;
  /**
   * Sort keys; identity ascending is always the final tiebreak. Empty means identity ascending.
   * Identities and strings order by code point; values of a metadata path order across types as
   * missing < null < false < true < numbers < strings < arrays and objects (which tie).
   */
  readonly sort: readonly SortKey[];
  readonly includeMetadata: boolean;
  /** Ask for `totalCount` (only honoured when `supports.count`). */
  readonly totalCount: boolean;
}

export interface EnumeratePage {
  /** Items in sort order. Without includeMetadata, metadata is `{}`. */
  readonly items: readonly IdentityRecord[];
  /** Present when more items may follow. */
  readonly nextCursor?: string;
  /** Matching live identities in total, when asked and supported. Exact even when `exact` is false. */
  readonly totalCount?: number;
  /** False when `items` may include identities that do not match (the caller refines). */
  readonly exact: boolean;
}

export type PutMode = 'create' | 'replace';

export interface PutOptions {
  /** 'create' fails with ALREADY_EXISTS when a live identity exists; 'replace' creates or replaces. */
  readonly mode: PutMode;
  /** Most live identities in the namespace; creating one more fails with QUOTA_EXCEEDED. */
  readonly quota?: number;
}

export interface PutResult {
  readonly record: IdentityRecord;
  /** The live record this write replaced, if any. */
  readonly previous?: IdentityRecord;
}

/**
 * A change in a registry, as `watch` delivers it. `previous` is the record before the change
 * when the backend knows it.
 */
export interface RegistryChange {
  readonly type: 'registered' | 'updated' | 'unregistered' | 'expired';
  readonly namespace: string;
  readonly identity: string;
  /** The record after the change (registered, updated). */
  readonly record?: IdentityRecord;
  readonly previous?: IdentityRecord;
  readonly at: number;
}

export type Unsubscribe = () => Promise<void>;

/**
 * The registry slot: where identities live. Every method takes the namespace; namespaces never
 * see each other's data. `now` is the coordinator's clock (ignored under `clock: 'server'`).
 * Expired records are invisible to every read, whether or not a sweep has run.
 * Errors are MusterErrors (ALREADY_EXISTS, QUOTA_EXCEEDED, UNAVAILABLE...).
 */
export interface RegistrySlot {
  readonly supports: RegistrySupports;

  /** Creates or replaces. On replace, registeredAt is kept unless the old record had expired. */
  put(
    namespace: string,
    record: IdentityRecord,
    options: PutOptions,
    now: number,
  ): Promise<PutResult>;

  get(namespace: string, identity: string, now: number): Promise<IdentityRecord | undefined>;

  /** Sets expiresAt of a live identity; undefined when it is missing or expired. */
  touch(
    namespace: string,
    identity: string,
    expiresAt: number | null,
    now: number,
  ): Promise<IdentityRecord | undefined>;

  /** Many heartbeats in one call (one round trip); returns the identities that were not live. */
  touchMany(
    namespace: string,
    updates: readonly { readonly identity: string; readonly expiresAt: number | null }[],
    now: number,
  ): Promise<readonly string[]>;

  /** Removes a live identity; returns it, or undefined when there was none. */
  delete(namespace: string, identity: string, now: number): Promise<IdentityRecord | undefined>;

  enumerate(namespace: string, query: EnumerateQuery, now: number): Promise<EnumeratePage>;

  /** Live identities in the namespace. */
  count(namespace: string, now: number): Promise<number>;

  /**
   * Removes up to `limit` identities that expired at or before `now` and returns them. Safe with
   * any number of concurrent sweepers: each expired record is returned by exactly one call.
   */
  sweep(namespace: string, now: number, limit: number): Promise<readonly IdentityRecord[]>;

  /** Namespaces that hold any record (for the sweeper). */
  namespaces(): Promise<readonly string[]>;

  /** Change events for the namespace, from the backend (required when `supports.watch`). */
  watch?(namespace: string, listener: (change: RegistryChange) => void): Promise<Unsubscribe>;

  /** Creates backend indexes for schema fields marked `index: true` (when `supports.indexes`). */
  ensureIndexes?(namespace: string, paths: readonly Path[]): Promise<void>;

  /** Releases the backend. Idempotent; afterwards every other call rejects with UNAVAILABLE. */
  close(): Promise<void>;
}
