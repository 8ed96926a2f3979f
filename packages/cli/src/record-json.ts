import type { IdentityRecord } from '@muster/client';

/** A record as `--json` prints it: times as ISO 8601 strings. */
export function recordJson(record: IdentityRecord): Record<string, unknown> {
  return {
    identity: record.identity,
    metadata: record.metadata,
    registeredAt: new Date(record.registeredAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    expiresAt: record.expiresAt === null ? null : new Date(record.expiresAt).toISOString(),
  };
}
