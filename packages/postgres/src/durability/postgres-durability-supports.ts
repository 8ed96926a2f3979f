import type { DurabilitySupports } from '@muster/core';

/**
 * Retention by age and length (applied by `trim`; expired messages are invisible to `read` at
 * once), LISTEN/NOTIFY wake-ups, queues every process sharing the database sees, and multicast
 * reports in tables, so any coordinator on the database answers `getMulticast`.
 */
export const POSTGRES_DURABILITY_SUPPORTS: DurabilitySupports = Object.freeze({
  retention: true,
  notify: true,
  distributed: true,
  reports: true,
});
