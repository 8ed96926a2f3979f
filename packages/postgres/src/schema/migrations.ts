/** One schema change, applied once per schema, in version order. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** The DDL for a quoted schema name (`"muster"`). */
  readonly sql: (schema: string) => string;
}

/**
 * Every migration this package knows, oldest first. Never edit one that has shipped: add the
 * next version. Times are epoch milliseconds in bigint columns, exactly the numbers the
 * coordinator's clock produces, so expiry is exact to the millisecond.
 */
export const MIGRATIONS: readonly Migration[] = Object.freeze([
  {
    version: 1,
    name: 'identities',
    sql: (schema: string) => `
      CREATE TABLE ${schema}.identities (
        namespace text COLLATE "C" NOT NULL,
        identity text COLLATE "C" NOT NULL,
        metadata jsonb NOT NULL,
        registered_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        expires_at bigint,
        PRIMARY KEY (namespace, identity)
      );
      COMMENT ON TABLE ${schema}.identities IS
        'Muster registry: one row per identity; times are epoch ms; expires_at NULL = no TTL';
      CREATE INDEX identities_metadata_path_ops ON ${schema}.identities
        USING gin (metadata jsonb_path_ops);
      CREATE INDEX identities_expiry ON ${schema}.identities (namespace, expires_at);
    `,
  },
  {
    version: 2,
    name: 'durable_messages',
    sql: (schema: string) => `
      CREATE SEQUENCE ${schema}.durable_message_sequence AS bigint;
      CREATE TABLE ${schema}.durable_messages (
        namespace text COLLATE "C" NOT NULL,
        identity text COLLATE "C" NOT NULL,
        sequence bigint NOT NULL,
        message_id text NOT NULL,
        multicast_id text NOT NULL,
        payload bytea NOT NULL,
        content_type text NOT NULL,
        attempt integer NOT NULL,
        created_at bigint NOT NULL,
        PRIMARY KEY (namespace, identity, sequence)
      );
      COMMENT ON TABLE ${schema}.durable_messages IS
        'Muster durability: one row per unacked message; an ack deletes the row';
      CREATE INDEX durable_messages_age ON ${schema}.durable_messages (namespace, created_at);
      CREATE TABLE ${schema}.durable_queue_heads (
        namespace text COLLATE "C" NOT NULL,
        identity text COLLATE "C" NOT NULL,
        enqueues bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (namespace, identity)
      );
      COMMENT ON TABLE ${schema}.durable_queue_heads IS
        'Muster durability: row locks that order the enqueues of one identity';
    `,
  },
  {
    version: 3,
    name: 'durable_reports',
    // Expiry times are float8: they are compared with the caller's clock exactly as given, and
    // a JS number round-trips through float8 unchanged.
    sql: (schema: string) => `
      CREATE TABLE ${schema}.durable_reports (
        namespace text COLLATE "C" NOT NULL,
        multicast_id text COLLATE "C" NOT NULL,
        expires_at double precision NOT NULL,
        body text NOT NULL,
        PRIMARY KEY (namespace, multicast_id)
      );
      COMMENT ON TABLE ${schema}.durable_reports IS
        'Muster durability: one row per multicast report, the report encoded as one JSON text';
      CREATE INDEX durable_reports_expiry ON ${schema}.durable_reports (namespace, expires_at);
      CREATE TABLE ${schema}.durable_report_marks (
        namespace text COLLATE "C" NOT NULL,
        multicast_id text COLLATE "C" NOT NULL,
        identity text COLLATE "C" NOT NULL,
        expires_at double precision NOT NULL,
        PRIMARY KEY (namespace, multicast_id, identity)
      );
      COMMENT ON TABLE ${schema}.durable_report_marks IS
        'Muster durability: targets that acked, shown DELIVERED in their report (which may come later)';
      CREATE INDEX durable_report_marks_expiry ON ${schema}.durable_report_marks
        (namespace, expires_at);
    `,
  },
]);
