/** The columns of an identity record as the adapter reads them (bigint times as float8 numbers). */
export const RECORD_SELECT = (alias: string): string =>
  `${alias}.identity, ${alias}.metadata, ${alias}.registered_at::float8 AS registered_at, ${alias}.updated_at::float8 AS updated_at, ${alias}.expires_at::float8 AS expires_at`;

/** A row is live at `now` (a placeholder): no TTL, or an expiry still ahead. */
export const LIVE = (alias: string, now: string): string =>
  `(${alias}.expires_at IS NULL OR ${alias}.expires_at > ${now})`;

/**
 * The fixed statements of one schema (the quoted schema name is the only thing interpolated;
 * every value is a placeholder). Built once per adapter and sent as named prepared statements.
 */
export interface RegistryStatements {
  readonly get: string;
  readonly put: string;
  readonly putBatch: string;
  readonly touch: string;
  readonly touchMany: string;
  readonly delete: string;
  readonly count: string;
  readonly sweep: string;
  readonly namespaces: string;
  readonly lockNamespace: string;
  readonly table: string;
}

export function registryStatements(schema: string): RegistryStatements {
  const table = `${schema}.identities`;
  return {
    table,
    // $1 namespace, $2 identity, $3 now
    get: `SELECT ${RECORD_SELECT('t')} FROM ${table} t WHERE t.namespace = $1 AND t.identity = $2 AND ${LIVE('t', '$3')}`,
    put: putStatement(table),
    putBatch: putBatchStatement(table),
    // $1 namespace, $2 identity, $3 expiresAt, $4 now
    touch: `UPDATE ${table} t SET expires_at = $3 WHERE t.namespace = $1 AND t.identity = $2 AND ${LIVE('t', '$4')} RETURNING ${RECORD_SELECT('t')}`,
    // $1 namespace, $2 identities, $3 expiries, $4 now: one statement for a whole batch
    touchMany: `WITH wanted AS (
        SELECT * FROM unnest($2::text[], $3::bigint[]) AS w(identity, expires_at)
      ), touched AS (
        UPDATE ${table} t SET expires_at = w.expires_at FROM wanted w
        WHERE t.namespace = $1 AND t.identity = w.identity AND ${LIVE('t', '$4')}
        RETURNING t.identity
      )
      SELECT w.identity FROM wanted w
      WHERE NOT EXISTS (SELECT 1 FROM touched WHERE touched.identity = w.identity)`,
    // $1 namespace, $2 identity, $3 now
    delete: `DELETE FROM ${table} t WHERE t.namespace = $1 AND t.identity = $2 AND ${LIVE('t', '$3')}
      RETURNING ${RECORD_SELECT('t')}`,
    // $1 namespace, $2 now
    count: `SELECT count(*)::float8 AS live FROM ${table} t WHERE t.namespace = $1 AND ${LIVE('t', '$2')}`,
    // $1 namespace, $2 now, $3 limit. Rows another sweeper holds are skipped, and the
    // delete re-checks the expiry, so each expired row is returned by exactly one sweep.
    sweep: `DELETE FROM ${table} t
      WHERE t.ctid = ANY (ARRAY(
        SELECT c.ctid FROM ${table} c
        WHERE c.namespace = $1 AND c.expires_at <= $2
        ORDER BY c.expires_at LIMIT $3
        FOR UPDATE SKIP LOCKED
      )) AND t.namespace = $1 AND t.expires_at <= $2
      RETURNING ${RECORD_SELECT('t')}`,
    // A skip scan over the primary key: one index probe per namespace, not a scan of every row.
    namespaces: `WITH RECURSIVE spaces AS (
        (SELECT t.namespace FROM ${table} t ORDER BY t.namespace LIMIT 1)
        UNION ALL
        SELECT (SELECT t.namespace FROM ${table} t WHERE t.namespace > s.namespace ORDER BY t.namespace LIMIT 1)
        FROM spaces s WHERE s.namespace IS NOT NULL
      )
      SELECT namespace FROM spaces WHERE namespace IS NOT NULL`,
    // $1 the namespace's lock key: serialises quota-checked creates of one namespace
    lockNamespace: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))',
  };
}

/**
 * Create or replace in one statement, returning the row it found and the times it wrote:
 * $1 namespace, $2 identity, $3 metadata, $4 registeredAt, $5 updatedAt, $6 expiresAt, $7 now,
 * $8 mode ('create' | 'replace'), $9 quota (NULL for none).
 *
 * - `found` locks the existing row (FOR UPDATE waits for a concurrent writer and sees its result).
 * - A live row is replaced only in 'replace' mode (keeping registered_at); an expired one counts
 *   as absent: it is overwritten, subject to quota.
 * - Without a row, the INSERT's ON CONFLICT DO NOTHING means a concurrent create won: no row
 *   comes back with role `written`, and the adapter runs the statement again.
 * - The quota count only runs when a quota is given and a new live identity would appear; the
 *   caller holds the namespace's advisory lock then, so concurrent creates cannot overshoot.
 * - The written record is known to the caller but for its times, so only those come back.
 */
function putStatement(table: string): string {
  const liveCount = `(SELECT count(*) FROM (SELECT 1 FROM ${table} q WHERE q.namespace = $1 AND ${LIVE('q', '$7')} LIMIT $9::bigint) AS counted)`;
  return `WITH found AS (
      SELECT t.*, ${LIVE('t', '$7')} AS live FROM ${table} t
      WHERE t.namespace = $1 AND t.identity = $2 FOR UPDATE
    ), admit AS (
      SELECT ($9::bigint IS NULL OR ${liveCount} < $9::bigint) AS ok
    ), replaced AS (
      UPDATE ${table} t SET
        metadata = $3::jsonb,
        registered_at = CASE WHEN f.live THEN f.registered_at ELSE $4::bigint END,
        updated_at = CASE WHEN f.live THEN $7::bigint ELSE $5::bigint END,
        expires_at = $6::bigint
      FROM found f
      WHERE t.namespace = $1 AND t.identity = $2
        AND CASE WHEN f.live THEN $8::text = 'replace' ELSE (SELECT ok FROM admit) END
      RETURNING t.registered_at, t.updated_at
    ), inserted AS (
      INSERT INTO ${table} (namespace, identity, metadata, registered_at, updated_at, expires_at)
      SELECT $1::text, $2::text, $3::jsonb, $4::bigint, $5::bigint, $6::bigint
      WHERE NOT EXISTS (SELECT 1 FROM found) AND (SELECT ok FROM admit)
      ON CONFLICT (namespace, identity) DO NOTHING
      RETURNING registered_at, updated_at
    )
    SELECT 'found' AS role, ${RECORD_SELECT('f')}, f.live, NULL::boolean AS admitted FROM found f
    UNION ALL
    SELECT 'written', NULL, NULL, r.registered_at::float8, r.updated_at::float8, NULL, NULL, NULL
      FROM replaced r
    UNION ALL
    SELECT 'written', NULL, NULL, i.registered_at::float8, i.updated_at::float8, NULL, NULL, NULL
      FROM inserted i
    UNION ALL
    SELECT 'admit', NULL, NULL, NULL, NULL, NULL, NULL, ok FROM admit WHERE $9::bigint IS NOT NULL`;
}

/**
 * Create or replace a batch of distinct identities of one namespace in one statement (no quota):
 * $1 namespace, $2 the identities (text[], for the primary-key probes), $3 the items as one JSON
 * array of `{identity, metadata, registered_at, updated_at, expires_at, now, replace}` (one
 * JSON document: serialising it is native JSON.stringify, where text[] elements of JSON would
 * be escaped one by one; `replace` is true for 'replace', false for 'create').
 *
 * Each item is decided as `put` decides it alone (the identities are distinct, so the items do
 * not see each other). Returns, per item, the row it found (role `found`, with `ord`, the item's
 * 1-based position) and the times it wrote (role `written`, by identity); an item with neither
 * lost the insert to a concurrent create and is run again by the adapter.
 *
 * The rows are found by primary-key probes (`identity = ANY`), never by a scan of the
 * namespace, and locked and inserted in identity order, so two batches sharing identities queue
 * behind each other instead of deadlocking (the adapter still retries a deadlock).
 */
function putBatchStatement(table: string): string {
  return `WITH wanted AS (
      SELECT * FROM ROWS FROM (json_to_recordset($3::json) AS (identity text, metadata jsonb,
          registered_at bigint, updated_at bigint, expires_at bigint, now bigint, replace boolean))
        WITH ORDINALITY AS w(identity, metadata, registered_at, updated_at, expires_at, now, replace, ord)
    ), locked AS (
      SELECT t.identity, t.metadata, t.registered_at, t.updated_at, t.expires_at
      FROM ${table} t WHERE t.namespace = $1 AND t.identity = ANY ($2::text[])
      ORDER BY t.identity
      FOR UPDATE
    ), found AS (
      SELECT l.*, w.ord, ${LIVE('l', 'w.now')} AS live
      FROM locked l JOIN wanted w ON w.identity = l.identity
    ), replaced AS (
      UPDATE ${table} t SET
        metadata = w.metadata,
        registered_at = CASE WHEN f.live THEN f.registered_at ELSE w.registered_at END,
        updated_at = CASE WHEN f.live THEN w.now ELSE w.updated_at END,
        expires_at = w.expires_at
      FROM found f JOIN wanted w ON w.ord = f.ord
      WHERE t.namespace = $1 AND t.identity = f.identity AND (w.replace OR NOT f.live)
      RETURNING t.identity, t.registered_at, t.updated_at
    ), inserted AS (
      INSERT INTO ${table} (namespace, identity, metadata, registered_at, updated_at, expires_at)
      SELECT $1::text, w.identity, w.metadata, w.registered_at, w.updated_at, w.expires_at
      FROM wanted w WHERE NOT EXISTS (SELECT 1 FROM found f WHERE f.ord = w.ord)
      ORDER BY w.identity COLLATE "C"
      ON CONFLICT (namespace, identity) DO NOTHING
      RETURNING identity, registered_at, updated_at
    )
    SELECT 'found' AS role, f.ord::float8 AS ord, ${RECORD_SELECT('f')}, f.live FROM found f
    UNION ALL
    SELECT 'written', NULL, r.identity, NULL, r.registered_at::float8, r.updated_at::float8, NULL, NULL
      FROM replaced r
    UNION ALL
    SELECT 'written', NULL, i.identity, NULL, i.registered_at::float8, i.updated_at::float8, NULL, NULL
      FROM inserted i`;
}
