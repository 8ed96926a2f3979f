import type { IdentityRecord, Metadata } from '@muster/core';
import { encodeValidMetadataForLua } from '@muster/filter';

/**
 * The stored form of a record: `registeredAt,updatedAt,expiresAt|metadata`, expiresAt empty for
 * none and metadata as `encodeMetadataForLua` writes it (JSON with empty arrays tagged). The
 * header lets scripts check liveness without decoding JSON.
 */
export function encodeRecordHeader(record: IdentityRecord): string[] {
  return [
    String(record.registeredAt),
    String(record.updatedAt),
    record.expiresAt === null ? '' : String(record.expiresAt),
  ];
}

/**
 * The metadata's stored JSON. Not validated again: a registry slot receives metadata the
 * coordinator has checked (as every registry slot does, see core's checkRecord).
 */
export function encodeMetadata(metadata: Metadata): string {
  return encodeValidMetadataForLua(metadata);
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
