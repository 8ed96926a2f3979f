import type { Muster } from '@muster/core';
import type { FilterLimits } from '@muster/filter';
import type { PostgresOutbox } from '@muster/postgres';

/** Limits the server checks itself, before a call reaches the coordinator. */
export interface ServerLimits {
  /** Largest multicast payload, in bytes. */
  readonly maxPayloadBytes: number;
  /** Most identities one multicast may target; undefined for no limit. */
  readonly maxMulticastTargets?: number;
}

/** One served namespace: the coordinator behind it and the limits of its calls. */
export interface NamespaceRuntime {
  readonly name: string;
  readonly muster: Muster;
  readonly filterLimits?: Partial<FilterLimits>;
  readonly limits: ServerLimits;
  /**
   * The transactional outbox (`composition: { pattern: outbox }`): Multicast writes to it and
   * GetMulticast reads its reports, on whichever instance is asked.
   */
  readonly outbox?: PostgresOutbox;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = Object.freeze({
  maxPayloadBytes: 1024 * 1024,
});
