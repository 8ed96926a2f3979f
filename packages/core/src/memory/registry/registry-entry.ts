import type { IdentityRecord } from '../../slots/identity-record.js';

/**
 * One stored identity, mutable inside the memory registry. `expiresAt` is the truth; the record
 * object is rebuilt lazily after heartbeats (so a heartbeat allocates nothing). Once removed, the
 * entry is dead (`record` undefined) and never reused: the identity index and the expiry heap
 * drop dead entries lazily, and a new registration of the same identity gets a new entry.
 */
export class RegistryEntry {
  readonly identity: string;
  record: IdentityRecord | undefined;
  expiresAt: number | null;
  /** Position in the expiry heap, -1 when not in it. */
  heapIndex = -1;
  /** The heap's key: at or before `expiresAt` (heartbeats extend lazily; the sweep re-keys). */
  heapKey = 0;

  constructor(record: IdentityRecord) {
    this.identity = record.identity;
    this.record = record;
    this.expiresAt = record.expiresAt;
  }

  /** The record with the current expiresAt; only call on a live entry. */
  current(): IdentityRecord {
    const record = this.record!;
    if (record.expiresAt === this.expiresAt) return record;
    const updated: IdentityRecord = { ...record, expiresAt: this.expiresAt };
    this.record = updated;
    return updated;
  }

  isLive(now: number): boolean {
    return this.record !== undefined && (this.expiresAt === null || this.expiresAt > now);
  }
}
