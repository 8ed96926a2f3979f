/** One change to an outbox's tables, applied once per (schema, outbox table), in version order. */
export interface OutboxMigration {
  readonly version: number;
  readonly name: string;
  /** The DDL for a quoted schema and the outbox table's plain name (`multicast_outbox`). */
  readonly sql: (schema: string, table: string) => string;
}

/**
 * Every outbox migration, oldest first. Never edit one that has shipped: add the next version.
 * The outbox table's name is configurable, so these live beside the schema's own migrations
 * and are recorded per table in `<schema>.outbox_migrations`.
 *
 * `<table>` holds one row per multicast (the idempotency key is unique per namespace);
 * `<table>_targets` one row per (multicast, target identity) with its stable message id, pending
 * while `published_at` is NULL. Times are epoch-ms bigints, like the registry's.
 */
export const OUTBOX_MIGRATIONS: readonly OutboxMigration[] = Object.freeze([
  {
    version: 1,
    name: 'outbox',
    sql: (schema: string, table: string) => `
      CREATE TABLE ${schema}."${table}" (
        multicast_id text COLLATE "C" PRIMARY KEY,
        namespace text COLLATE "C" NOT NULL,
        idempotency_key text COLLATE "C",
        filter text NOT NULL,
        payload bytea NOT NULL,
        content_type text NOT NULL,
        target_count integer NOT NULL,
        created_at bigint NOT NULL,
        UNIQUE (namespace, idempotency_key)
      );
      COMMENT ON TABLE ${schema}."${table}" IS
        'Muster transactional outbox: one row per multicast; its targets are in ${table}_targets';
      CREATE TABLE ${schema}."${table}_targets" (
        id bigint GENERATED ALWAYS AS IDENTITY,
        multicast_id text COLLATE "C" NOT NULL
          REFERENCES ${schema}."${table}" (multicast_id) ON DELETE CASCADE,
        ordinal integer NOT NULL,
        identity text COLLATE "C" NOT NULL,
        message_id text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at bigint NOT NULL DEFAULT 0,
        status text,
        error_code text,
        error_message text,
        published_at bigint,
        PRIMARY KEY (multicast_id, ordinal)
      );
      COMMENT ON TABLE ${schema}."${table}_targets" IS
        'Muster outbox targets: pending while published_at IS NULL; status is the publish result';
      CREATE INDEX "${table}_pending" ON ${schema}."${table}_targets" (id)
        WHERE published_at IS NULL;
    `,
  },
]);
