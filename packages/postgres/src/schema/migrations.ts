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
]);
