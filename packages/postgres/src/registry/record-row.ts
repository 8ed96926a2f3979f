import type { IdentityRecord, Metadata } from '@muster/core';

/** A row selected with RECORD_SELECT. */
export interface RecordRow {
  readonly identity: string;
  readonly metadata: Metadata;
  readonly registered_at: number;
  readonly updated_at: number;
  readonly expires_at: number | null;
}

export function recordOf(row: RecordRow): IdentityRecord {
  return {
    identity: row.identity,
    metadata: row.metadata,
    registeredAt: row.registered_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
  };
}
