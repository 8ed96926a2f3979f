import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DEFAULT_DATABASE_URL } from '../../src/index.js';

export const DATABASE_URL = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;

/**
 * Whether PostgreSQL answers. Locally a test file skips when it does not (saying why); under
 * CI=true it must not skip, so the tests run and fail.
 */
export async function databaseReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    if (process.env.CI === 'true') return true;
    console.warn(`[postgres] skipping: ${DATABASE_URL} is unreachable (${String(error)})`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A schema name no other test file or run uses. */
export function uniqueSchema(label: string): string {
  return `muster_test_${label}_${randomBytes(4).toString('hex')}`;
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
