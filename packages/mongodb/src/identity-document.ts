import type { IdentityRecord, Metadata } from '@muster/core';

/**
 * One identity as stored: every namespace shares one collection, keyed by namespace and
 * identity. `expiresAt` is the exact expiry (epoch ms, what reads compare with `now`); `reapAt`
 * is the Date the optional TTL index works on (expiry plus a grace period), or absent.
 */
export interface IdentityDocument {
  readonly _id: string;
  readonly ns: string;
  readonly identity: string;
  readonly metadata: Metadata;
  readonly registeredAt: number;
  readonly updatedAt: number;
  readonly expiresAt: number | null;
  readonly reapAt?: Date;
}

/** The document key: JSON of the pair, so no namespace or identity can collide with another. */
export function documentId(namespace: string, identity: string): string {
  return JSON.stringify([namespace, identity]);
}

export function toDocument(
  namespace: string,
  record: IdentityRecord,
  reapAfterMs: number | undefined,
): IdentityDocument {
  const document: IdentityDocument = {
    _id: documentId(namespace, record.identity),
    ns: namespace,
    identity: record.identity,
    metadata: record.metadata,
    registeredAt: record.registeredAt,
    updatedAt: record.updatedAt,
    expiresAt: record.expiresAt,
  };
  const reapAt = reapDate(record.expiresAt, reapAfterMs);
  return reapAt === undefined ? document : { ...document, reapAt };
}

/** When the TTL index may delete a record: its expiry plus the grace period. */
export function reapDate(
  expiresAt: number | null,
  reapAfterMs: number | undefined,
): Date | undefined {
  return expiresAt === null || reapAfterMs === undefined
    ? undefined
    : new Date(expiresAt + reapAfterMs);
}

const NO_METADATA: Metadata = Object.freeze({});

export function fromDocument(document: IdentityDocument, includeMetadata = true): IdentityRecord {
  return {
    identity: document.identity,
    metadata: includeMetadata ? document.metadata : NO_METADATA,
    registeredAt: document.registeredAt,
    updatedAt: document.updatedAt,
    expiresAt: document.expiresAt ?? null,
  };
}
