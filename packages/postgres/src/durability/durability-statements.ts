/**
 * The fixed statements of the durability slot for one schema (the quoted schema name is the
 * only thing interpolated; every value is a placeholder).
 */
export interface DurabilityStatements {
  readonly enqueue: string;
  readonly read: string;
  readonly ack: string;
  readonly purge: string;
  readonly trimAge: string;
  readonly trimLength: string;
  readonly saveReport: string;
  readonly markDelivered: string;
  readonly loadReport: string;
  readonly trimReports: string;
}

export function durabilityStatements(schema: string): DurabilityStatements {
  const messages = `${schema}.durable_messages`;
  const heads = `${schema}.durable_queue_heads`;
  const reports = `${schema}.durable_reports`;
  const marks = `${schema}.durable_report_marks`;
  return {
    // $1 namespace, $2..$8 the envelopes' columns as arrays (identity, message_id, multicast_id,
    // payload, content_type, attempt, created_at). One statement, so one transaction:
    // 1. `locked` upserts each identity's head row, in identity order (two batches lock in the
    //    same order), holding its row lock to the commit;
    // 2. `allocated` draws sequences only from rows `locked` returned, so after the lock: an
    //    enqueuer of the same identity that drew earlier has committed, one that draws later
    //    waits for this commit. Per identity, commit order is sequence order, and a reader
    //    resuming `after` the last sequence it saw never skips a late commit;
    // 3. the n-th sequence drawn for an identity goes to its n-th envelope in input order.
    enqueue: `WITH input AS (
        SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::bytea[], $6::text[],
                             $7::integer[], $8::bigint[]) WITH ORDINALITY
          AS e(identity, message_id, multicast_id, payload, content_type, attempt, created_at, ord)
      ), locked AS (
        INSERT INTO ${heads} AS h (namespace, identity)
        SELECT $1, d.identity FROM (SELECT DISTINCT identity FROM input) d ORDER BY d.identity
        ON CONFLICT (namespace, identity) DO UPDATE SET enqueues = h.enqueues + 1
        RETURNING h.identity
      ), allocated AS (
        SELECT i.identity, nextval('${schema}.durable_message_sequence') AS sequence
        FROM locked l JOIN input i ON i.identity = l.identity
      ), drawn AS (
        SELECT identity, sequence,
               row_number() OVER (PARTITION BY identity ORDER BY sequence) AS rank
        FROM allocated
      ), placed AS (
        SELECT i.*, d.sequence
        FROM (SELECT input.*, row_number() OVER (PARTITION BY identity ORDER BY ord) AS rank
              FROM input) i
        JOIN drawn d ON d.identity = i.identity AND d.rank = i.rank
      ), inserted AS (
        -- A data-modifying WITH runs to completion even though nothing reads its output.
        INSERT INTO ${messages}
          (namespace, identity, sequence, message_id, multicast_id, payload, content_type,
           attempt, created_at)
        SELECT $1, identity, sequence, message_id, multicast_id, payload, content_type, attempt,
               created_at
        FROM placed
      )
      SELECT ord::integer AS ord, sequence::float8 AS sequence FROM placed`,
    // $1 namespace, $2 identity, $3 after, $4 oldest createdAt kept (null: no age limit), $5 limit
    read: `SELECT sequence::float8 AS sequence, message_id, multicast_id, payload, content_type,
        attempt, created_at::float8 AS created_at
      FROM ${messages}
      WHERE namespace = $1 AND identity = $2 AND sequence > $3
        AND ($4::bigint IS NULL OR created_at >= $4::bigint)
      ORDER BY sequence LIMIT $5`,
    // $1 namespace, $2 identity, $3 sequences
    ack: `DELETE FROM ${messages}
      WHERE namespace = $1 AND identity = $2 AND sequence = ANY ($3::bigint[])`,
    // $1 namespace, $2 identity. The head goes too: sequences come from the schema-wide
    // sequence, so a new head never hands out a number again.
    purge: `WITH head AS (
        DELETE FROM ${heads} WHERE namespace = $1 AND identity = $2
      )
      DELETE FROM ${messages} WHERE namespace = $1 AND identity = $2`,
    // $1 namespace, $2 oldest createdAt kept
    trimAge: `DELETE FROM ${messages} WHERE namespace = $1 AND created_at < $2`,
    // $1 namespace, $2 maxLength: all but the newest maxLength messages of each identity
    trimLength: `DELETE FROM ${messages} m
      USING (
        SELECT identity, sequence FROM (
          SELECT identity, sequence,
                 row_number() OVER (PARTITION BY identity ORDER BY sequence DESC) AS rank
          FROM ${messages} WHERE namespace = $1
        ) ranked
        WHERE rank > $2
      ) dropped
      WHERE m.namespace = $1 AND m.identity = dropped.identity AND m.sequence = dropped.sequence`,
    // $1 namespace, $2 multicast id, $3 expiresAt, $4 body. A blind upsert: the marks live in
    // their own table, so a re-save keeps them without reading anything.
    saveReport: `INSERT INTO ${reports} (namespace, multicast_id, expires_at, body)
      VALUES ($1, $2, $3, $4)
      ON CONFLICT (namespace, multicast_id)
      DO UPDATE SET expires_at = EXCLUDED.expires_at, body = EXCLUDED.body`,
    // $1 namespace, $2 multicast ids, $3 identities, $4 expiresAt of each mark, $5 now.
    // Duplicates are merged first (an upsert may touch a row once per statement), rows go in key
    // order (two batches lock in the same order), and a mark already expired is kept only when
    // its report is live. A later expiry extends a mark; the report's own is never touched.
    markDelivered: `INSERT INTO ${marks} AS m (namespace, multicast_id, identity, expires_at)
      SELECT $1, e.multicast_id, e.identity, max(e.expires_at)
      FROM unnest($2::text[], $3::text[], $4::float8[]) AS e(multicast_id, identity, expires_at)
      GROUP BY e.multicast_id, e.identity
      HAVING max(e.expires_at) > $5::float8 OR EXISTS (
        SELECT 1 FROM ${reports} r
        WHERE r.namespace = $1 AND r.multicast_id = e.multicast_id AND r.expires_at > $5::float8)
      ORDER BY e.multicast_id, e.identity
      ON CONFLICT (namespace, multicast_id, identity)
      DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE m.expires_at < EXCLUDED.expires_at`,
    // $1 namespace, $2 multicast id, $3 now: the report, if live, with the identities marked.
    loadReport: `SELECT r.body, ARRAY(
        SELECT m.identity FROM ${marks} m
        WHERE m.namespace = r.namespace AND m.multicast_id = r.multicast_id
      ) AS marked
      FROM ${reports} r
      WHERE r.namespace = $1 AND r.multicast_id = $2 AND r.expires_at > $3::float8`,
    // $1 namespace, $2 cutoff (now minus a grace, so a caller whose clock runs ahead does not
    // delete what a slower one may still load). Deletes the reports expired before it with their
    // marks, and the marks that waited for a report past their own expiry. (The NOT EXISTS sees
    // the reports as they were before this statement, hence the explicit join with `gone`.)
    trimReports: `WITH gone AS (
        DELETE FROM ${reports} WHERE namespace = $1 AND expires_at < $2::float8
        RETURNING multicast_id
      )
      DELETE FROM ${marks} m
      WHERE m.namespace = $1 AND (
        m.multicast_id IN (SELECT multicast_id FROM gone)
        OR (m.expires_at < $2::float8 AND NOT EXISTS (
          SELECT 1 FROM ${reports} r
          WHERE r.namespace = m.namespace AND r.multicast_id = m.multicast_id)))`,
  };
}
