import { createHash } from 'node:crypto';
import type { Path } from '@muster/filter';
import type pg from 'pg';
import { pathSql } from './path-sql.js';

/** The expression indexes of one metadata path: numbers, strings (C collation), arrays. */
export function pathIndexes(
  schema: string,
  path: Path,
  escapeLiteral: (text: string) => string,
): { readonly name: string; readonly sql: string }[] {
  const table = `${schema}.identities`;
  const sql = pathSql(
    'metadata',
    path.map((segment) => `${escapeLiteral(segment)}::text`),
  );
  const tag = createHash('sha256').update(JSON.stringify(path)).digest('hex').slice(0, 16);
  const name = (kind: string) => `identities_path_${tag}_${kind}`;
  return [
    {
      name: name('num'),
      sql: `CREATE INDEX CONCURRENTLY ${name('num')} ON ${table} (namespace, ${sql.number})`,
    },
    {
      name: name('str'),
      sql: `CREATE INDEX CONCURRENTLY ${name('str')} ON ${table} (namespace, ${sql.text})`,
    },
    {
      // The array arm of the prefilter (see index-prefilter.ts), so a BitmapOr can serve it.
      name: name('arr'),
      sql: `CREATE INDEX CONCURRENTLY ${name('arr')} ON ${table} (namespace) WHERE ${sql.isArray}`,
    },
  ];
}

/**
 * Creates the path indexes that do not exist yet, without blocking writers (CONCURRENTLY).
 * A session advisory lock serialises concurrent callers; an index left invalid by an
 * interrupted build is dropped and built again.
 */
export async function ensurePathIndexes(
  client: pg.PoolClient,
  schemaName: string,
  schema: string,
  paths: readonly Path[],
): Promise<void> {
  const lockKey = `muster:indexes:${schemaName}`;
  await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKey]);
  try {
    for (const path of paths) {
      for (const index of pathIndexes(schema, path, (text) => client.escapeLiteral(text))) {
        const existing = await client.query<{ valid: boolean }>(
          `SELECT i.indisvalid AS valid FROM pg_index i
           JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = $1 AND c.relname = $2`,
          [schemaName, index.name],
        );
        const row = existing.rows[0];
        if (row?.valid === true) continue;
        if (row !== undefined)
          await client.query(`DROP INDEX CONCURRENTLY ${schema}.${index.name}`);
        await client.query(index.sql);
      }
    }
  } finally {
    await client
      .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey])
      .catch(() => undefined);
  }
}
