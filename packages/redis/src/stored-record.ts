import type { IdentityRecord, Metadata } from '@muster/core';
import { encodeValidMetadataForLua } from '@muster/filter';

/**
 * The stored form of a record: `registeredAt,updatedAt,expiresAt|metadata`, expiresAt empty for
 * none and metadata as `encodeMetadataForLua` writes it (JSON with empty arrays tagged). The
 * header lets scripts check liveness without decoding JSON. The metadata is not validated
 * again: a registry slot receives metadata the coordinator has checked (as every registry slot
 * does, see core's checkRecord).
 */
export function encodeRecord(record: IdentityRecord): string {
  return `${record.registeredAt},${record.updatedAt},${encodeExpiresAt(record.expiresAt)}|${encodeValidMetadataForLua(record.metadata)}`;
}

/** expiresAt as a stored record's header and the expiry zset hold it: '' for none. */
export function encodeExpiresAt(expiresAt: number | null): string {
  return expiresAt === null ? '' : String(expiresAt);
}

const EMPTY_ARRAY_TAG = '{"$a":0}';
const NO_METADATA: Metadata = Object.freeze({});

/** Decodes a stored record, or just its header (`registeredAt,updatedAt,expiresAt`). */
export function decodeRecord(
  identity: string,
  stored: string,
  withMetadata = true,
): IdentityRecord {
  const bar = stored.indexOf('|');
  const header = bar === -1 ? stored : stored.slice(0, bar);
  const c1 = header.indexOf(',');
  const c2 = header.indexOf(',', c1 + 1);
  const expires = header.slice(c2 + 1);
  return {
    identity,
    metadata: withMetadata && bar !== -1 ? decodeMetadata(stored.slice(bar + 1)) : NO_METADATA,
    registeredAt: Number(header.slice(0, c1)),
    updatedAt: Number(header.slice(c1 + 1, c2)),
    expiresAt: expires === '' ? null : Number(expires),
  };
}

/** The metadata JSON, with tagged empty arrays turned back into `[]`. */
export function decodeMetadata(json: string): Metadata {
  // The reviver costs time on every value: only pay it when a tag is present.
  if (!json.includes(EMPTY_ARRAY_TAG)) return JSON.parse(json) as Metadata;
  return JSON.parse(json, (_key, value: unknown) =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.hasOwn(value, '$a') &&
    Object.keys(value).length === 1
      ? []
      : value,
  ) as Metadata;
}
