import { MusterError } from '@muster/core';
import type pg from 'pg';
import { createPool, driverError, quoteIdentifier } from '../connection/index.js';
import { DEFAULT_SCHEMA, type MigrateOptions, migrate } from '../schema/migrate.js';
import { OUTBOX_MIGRATIONS, type OutboxMigration } from './outbox-migrations.js';
import { checkOutboxTable, DEFAULT_OUTBOX_TABLE } from './outbox-table.js';

export interface MigrateOutboxOptions extends MigrateOptions {
  /** The outbox table's name (its targets go in `<table>_targets`). Default `multicast_outbox`. */
  readonly table?: string;
}

export interface MigrateOutboxResult {
  /** The outbox versions this call applied (empty when the tables were up to date). */
  readonly applied: readonly number[];
  /** The outbox tables' version afterwards. */
  readonly version: number;
}

/**
 * Brings the schema (registry and durability tables: the outbox reads the registry's) and then
 * one outbox's tables up to date. Idempotent and safe with concurrent starters, like `migrate`:
 * a session advisory lock per schema, one transaction per migration.
 */
export async function migrateOutbox(
  options: MigrateOutboxOptions = {},
): Promise<MigrateOutboxResult> {
  const schemaName = options.schema ?? DEFAULT_SCHEMA;
  const schema = quoteIdentifier(schemaName, 'schema');
  const table = checkOutboxTable(options.table ?? DEFAULT_OUTBOX_TABLE);
  const { pool, owned } = createPool({ ...options, poolSize: 1 });
  try {
    await migrate({ pool, schema: schemaName });
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw driverError(error, 'connecting to migrate');
    }
    try {
      return await migrateWith(client, schemaName, schema, table);
    } catch (error) {
      throw driverError(error, `migrating outbox ${schemaName}.${table}`);
    } finally {
      client.release();
    }
  } finally {
    if (owned) await pool.end().catch(() => undefined);
  }
}

async function migrateWith(
  client: pg.PoolClient,
  schemaName: string,
  schema: string,
  table: string,
): Promise<MigrateOutboxResult> {
  // One lock per schema, not per table: the outboxes of a schema share outbox_migrations,
  // whose CREATE TABLE IF NOT EXISTS is not safe against a concurrent one.
  const lockKey = `muster:migrate-outbox:${schemaName}`;
  await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKey]);
  try {
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.outbox_migrations (
         table_name text NOT NULL,
         version integer NOT NULL,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (table_name, version)
       )`,
    );
    const done = await client.query<{ version: number }>(
      `SELECT version FROM ${schema}.outbox_migrations WHERE table_name = $1`,
      [table],
    );
    const have = new Set(done.rows.map((row) => row.version));
    const newest = OUTBOX_MIGRATIONS[OUTBOX_MIGRATIONS.length - 1]!.version;
    const unknown = [...have].filter((version) => version > newest);
    if (unknown.length > 0)
      throw new MusterError(
        'INTERNAL',
        `outbox ${schemaName}.${table} has migration ${Math.max(...unknown)}, newer than this package knows (${newest}): upgrade @muster/postgres`,
      );
    const applied: number[] = [];
    for (const migration of OUTBOX_MIGRATIONS) {
      if (have.has(migration.version)) continue;
      await apply(client, schema, table, migration);
      applied.push(migration.version);
    }
    return { applied, version: newest };
  } finally {
    await client
      .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey])
      .catch(() => undefined);
  }
}

async function apply(
  client: pg.PoolClient,
  schema: string,
  table: string,
  migration: OutboxMigration,
): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(migration.sql(schema, table));
    await client.query(
      `INSERT INTO ${schema}.outbox_migrations (table_name, version, name) VALUES ($1, $2, $3)`,
      [table, migration.version, migration.name],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
