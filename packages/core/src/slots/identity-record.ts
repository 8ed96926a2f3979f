/** Metadata: a JSON object that passed `validateMetadata` and the namespace's limits and schema. */
export type Metadata = Readonly<Record<string, unknown>>;

/** One registered identity as every slot stores it. Times are epoch milliseconds. */
export interface IdentityRecord {
  readonly identity: string;
  readonly metadata: Metadata;
  readonly registeredAt: number;
  /** When the identity was last written (register or replace); equals registeredAt at first. */
  readonly updatedAt: number;
  /** When it expires unless a heartbeat extends it; null for no TTL. */
  readonly expiresAt: number | null;
}
