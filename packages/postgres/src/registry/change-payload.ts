import { Buffer } from 'node:buffer';
import type { IdentityRecord, RegistryChange } from '@muster/core';

/**
 * What a NOTIFY carries. Short keys: PostgreSQL caps a payload at 8,000 bytes. `r` (the record
 * after the change) and `p` (the record before) are left out when the whole would not fit; the
 * listener then reads the record itself.
 */
export interface ChangePayload {
  readonly t: RegistryChange['type'];
  /** The namespace (channels are hashes of it, so the listener checks). */
  readonly n: string;
  readonly i: string;
  readonly a: number;
  readonly r?: Omit<IdentityRecord, 'metadata'> & Partial<Pick<IdentityRecord, 'metadata'>>;
  readonly p?: IdentityRecord;
}

const TYPES = new Set(['registered', 'updated', 'unregistered', 'expired']);

/** Parses a payload, or returns undefined for anything that is not one of ours. */
export function parseChangePayload(text: string | undefined): ChangePayload | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const payload = value as Partial<ChangePayload>;
  if (
    typeof payload.t !== 'string' ||
    !TYPES.has(payload.t) ||
    typeof payload.n !== 'string' ||
    typeof payload.i !== 'string' ||
    typeof payload.a !== 'number'
  )
    return undefined;
  return payload as ChangePayload;
}

/** Largest payload sent (PostgreSQL refuses more than 8,000 bytes). */
export const MAX_PAYLOAD_BYTES = 7_900;

/**
 * The payload of a change: with its records when they fit, else the record after the change
 * without metadata (the listener reads it back) and no previous record.
 */
export function encodeChangePayload(change: RegistryChange): string {
  const base = { t: change.type, n: change.namespace, i: change.identity, a: change.at };
  const full = JSON.stringify({
    ...base,
    ...(change.record === undefined ? {} : { r: change.record }),
    ...(change.previous === undefined ? {} : { p: change.previous }),
  });
  // UTF-8 takes at most 3 bytes per UTF-16 unit: measure only when it could be too long.
  if (full.length * 3 <= MAX_PAYLOAD_BYTES || Buffer.byteLength(full) <= MAX_PAYLOAD_BYTES)
    return full;
  if (change.record === undefined) return JSON.stringify(base);
  const { metadata: _omitted, ...bare } = change.record;
  return JSON.stringify({ ...base, r: bare });
}
