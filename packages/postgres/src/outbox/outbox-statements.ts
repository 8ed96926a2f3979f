/**
 * The fixed statements of one outbox (quoted schema and table names are the only things
 * interpolated; every value is a placeholder). The multicast statement depends on the filter
 * and is built per call (see PostgresOutbox).
 */
export interface OutboxStatements {
  readonly multicasts: string;
  readonly targets: string;
  readonly registry: string;
  readonly existing: string;
  readonly claim: string;
  readonly mark: string;
  readonly report: string;
  readonly prune: string;
}

export function outboxStatements(schema: string, table: string): OutboxStatements {
  const multicasts = `${schema}."${table}"`;
  const targets = `${schema}."${table}_targets"`;
  return {
    multicasts,
    targets,
    registry: `${schema}.identities`,
    // $1 namespace, $2 idempotency key
    existing: `SELECT multicast_id, target_count FROM ${multicasts}
      WHERE namespace = $1 AND idempotency_key = $2`,
    // $1 now, $2 limit. Rows another relay holds are skipped; a row whose retry is not due
    // yet waits. The multicast's columns come along (payload once per target row).
    claim: `SELECT t.id::text AS id, t.multicast_id, t.identity, t.message_id, t.attempts,
        m.namespace, m.payload, m.content_type, m.created_at::float8 AS created_at
      FROM ${targets} t JOIN ${multicasts} m ON m.multicast_id = t.multicast_id
      WHERE t.published_at IS NULL AND t.next_attempt_at <= $1
      ORDER BY t.id
      LIMIT $2
      FOR UPDATE OF t SKIP LOCKED`,
    // $1 ids, $2 statuses, $3 error codes, $4 error messages, $5 published_at (null: retry),
    // $6 next attempt times
    mark: `UPDATE ${targets} t
      SET attempts = t.attempts + 1, status = u.status, error_code = u.error_code,
          error_message = u.error_message, published_at = u.published_at,
          next_attempt_at = u.next_attempt_at
      FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])
        AS u(id, status, error_code, error_message, published_at, next_attempt_at)
      WHERE t.id = u.id`,
    // $1 multicast id
    report: `SELECT m.namespace, m.idempotency_key, m.filter, m.content_type, m.target_count,
        m.created_at::float8 AS created_at, t.identity, t.message_id, t.attempts, t.status,
        t.error_code, t.error_message, t.published_at::float8 AS published_at
      FROM ${multicasts} m LEFT JOIN ${targets} t ON t.multicast_id = m.multicast_id
      WHERE m.multicast_id = $1
      ORDER BY t.identity`,
    // $1 created before. Whole multicasts only, and only once every target is published.
    prune: `DELETE FROM ${multicasts} m
      WHERE m.created_at < $1
        AND NOT EXISTS (SELECT 1 FROM ${targets} t
                        WHERE t.multicast_id = m.multicast_id AND t.published_at IS NULL)`,
  };
}
