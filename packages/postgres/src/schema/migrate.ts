import { MusterError } from '@muster/core';
import type pg from 'pg';
import { createPool, driverError, type PostgresConnectionOptions } from '../connection/index.js';
import { quoteIdentifier } from '../connection/quote-identifier.js';
import { MIGRATIONS, type Migration } from './migrations.js';

export interface MigrateOptions extends PostgresConnectionOptions {
  /** The schema that holds Muster's tables. Default `muster`. */
  readonly schema?: string;
}

export interface MigrateResult {
  /** The versions this call applied (empty when the schema was up to date). */
  readonly applied: readonly number[];
  /** The schema's version afterwards. */
  readonly version: number;
}

export const DEFAULT_SCHEMA = 'muster';

/**
 * Brings the schema up to the newest migration. Idempotent, and safe when many processes start
 * at once: a session advisory lock (keyed by the schema name) serialises them, each migration
 * runs in its own transaction and is recorded in `<schema>.migrations`.
 */
export async function migrate(options: MigrateOptions = {}): Promise<MigrateResult> {
  const schemaName = options.schema ?? DEFAULT_SCHEMA;
  const schema = quoteIdentifier(schemaName, 'schema');
  const { pool, owned } = createPool({ ...options, poolSize: 1 });
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    if (owned) await pool.end().catch(() => undefined);
    throw driverError(error, 'connecting to migrate');
  }
  try {
    return await migrateWith(client, schemaName, schema);
  } catch (error) {
    throw driverError(error, `migrating schema ${schemaName}`);
  } finally {
    client.release();
    if (owned) await pool.end().catch(() => undefined);
  }
}

async function migrateWith(
  client: pg.PoolClient,
  schemaName: string,
  schema: string,
): Promise<MigrateResult> {
  const lockKey = `muster:migrate:${schemaName}`;
  await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKey]);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = await client.query<{ version: number }>(
      `SELECT version FROM ${schema}.migrations`,
    );
    const have = new Set(done.rows.map((row) => row.version));
    const newest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
    const unknown = [...have].filter((version) => version > newest);
    if (unknown.length > 0)
      throw new MusterError(
        'INTERNAL',
        `schema ${schemaName} has migration ${Math.max(...unknown)}, newer than this package knows (${newest}): upgrade @muster/postgres`,
      );
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (have.has(migration.version)) continue;
      await apply(client, schema, migration);
      applied.push(migration.version);
    }
    return { applied, version: newest };
  } finally {
    // A lost connection releases the lock anyway; do not let the unlock hide the real error.
    await client
      .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey])
      .catch(() => undefined);
  }
}

async function apply(client: pg.PoolClient, schema: string, migration: Migration): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(migration.sql(schema));
    await client.query(`INSERT INTO ${schema}.migrations (version, name) VALUES ($1, $2)`, [
      migration.version,
      migration.name,
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
