import type { IdentityRecord, Metadata } from '@muster/core';

/** A fresh registration as the coordinator would build it (updatedAt = registeredAt = at). */
export function makeRecord(
  identity: string,
  metadata: Metadata = {},
  at: number = Date.now(),
  expiresAt: number | null = null,
): IdentityRecord {
  return { identity, metadata, registeredAt: at, updatedAt: at, expiresAt };
}
