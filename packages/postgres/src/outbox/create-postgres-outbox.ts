import { PostgresOutbox, type PostgresOutboxOptions } from './postgres-outbox.js';

/** A transactional outbox on the PostgreSQL registry's schema (see PostgresOutbox). */
export function createPostgresOutbox(options: PostgresOutboxOptions = {}): PostgresOutbox {
  return new PostgresOutbox(options);
}
