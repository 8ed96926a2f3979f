import { MusterError } from '@muster/core';

/** The outbox table of RFC-017's example (`outbox_table: multicast_outbox`). */
export const DEFAULT_OUTBOX_TABLE = 'multicast_outbox';

/** Leaves room for the `_targets` and `_pending` suffixes within PostgreSQL's 63 bytes. */
const OUTBOX_TABLE = /^[a-z_][a-z0-9_]{0,39}$/;

/**
 * Checks a configured outbox table name: configuration, not user data, so anything beyond a
 * plain lower-case identifier of at most 40 characters is refused rather than escaped.
 */
export function checkOutboxTable(table: string): string {
  if (typeof table !== 'string' || !OUTBOX_TABLE.test(table))
    throw new MusterError(
      'INVALID_ARGUMENT',
      `the outbox table must match ${OUTBOX_TABLE} (a plain lower-case SQL identifier), not ${JSON.stringify(table)}`,
      { details: { field: 'table' } },
    );
  return table;
}
