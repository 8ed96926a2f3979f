// Outbox migrations: per (schema, table), idempotent, safe with concurrent starters, and they
// bring the schema's own migrations (the registry table the outbox reads) along.
import { expectMusterError } from '@muster/conformance';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrateOutbox, OUTBOX_MIGRATIONS } from '../src/index.js';
import {
  DATABASE_URL,
  databaseReachable,
  dropSchema,
  uniqueSchema,
} from './support/test-database.js';

const reachable = await databaseReachable();
const schema = uniqueSchema('outbox_migrate');

describe.skipIf(!reachable)('postgres outbox: migrations', () => {
  afterAll(() => dropSchema(schema));

  it('applies each outbox migration once per table, even with concurrent starters', async () => {
    const results = await Promise.all(
      ['orders_outbox', 'orders_outbox', 'orders_outbox', 'multicast_outbox'].map((table) =>
        migrateOutbox({ url: DATABASE_URL, schema, table }),
      ),
    );
    const versions = OUTBOX_MIGRATIONS.map((migration) => migration.version);
    expect(results.slice(0, 3).flatMap((result) => result.applied)).toEqual(versions);
    expect(results[3]!.applied).toEqual(versions);
    expect((await migrateOutbox({ url: DATABASE_URL, schema })).applied).toEqual([]);
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      const outbox = await client.query(
        `SELECT table_name, version FROM "${schema}".outbox_migrations ORDER BY 1, 2`,
      );
      expect(outbox.rows).toEqual([
        ...versions.map((version) => ({ table_name: 'multicast_outbox', version })),
        ...versions.map((version) => ({ table_name: 'orders_outbox', version })),
      ]);
      const own = await client.query(`SELECT version FROM "${schema}".migrations ORDER BY 1`);
      expect(own.rows.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));
      const tables = await client.query(
        `SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename LIKE '%outbox%'
         ORDER BY 1`,
        [schema],
      );
      expect(tables.rows.map((row) => row.tablename)).toEqual([
        'multicast_outbox',
        'multicast_outbox_targets',
        'orders_outbox',
        'orders_outbox_targets',
        'outbox_migrations',
      ]);
    } finally {
      await client.end();
    }
  });

  it('refuses a table name that is not a plain identifier', async () => {
    await expectMusterError(
      migrateOutbox({ url: DATABASE_URL, schema, table: 'outbox; DROP TABLE x' }),
      'INVALID_ARGUMENT',
      'a table name with SQL in it',
    );
    await expectMusterError(
      migrateOutbox({ url: DATABASE_URL, schema, table: 'x'.repeat(41) }),
      'INVALID_ARGUMENT',
      'a table name too long for its suffixes',
    );
  });
});
