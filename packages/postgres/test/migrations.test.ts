// Migrations: idempotent, versioned in <schema>.migrations, safe with concurrent starters.
import { uniqueNamespace } from '@muster/conformance';
import type { RegistryChange } from '@muster/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresRegistry, MIGRATIONS, migrate } from '../src/index.js';
import {
  DATABASE_URL,
  databaseReachable,
  dropSchema,
  uniqueSchema,
} from './support/test-database.js';

const reachable = await databaseReachable();
const schema = uniqueSchema('migrate');

describe.skipIf(!reachable)('postgres: migrations and large change events', () => {
  afterAll(() => dropSchema(schema));

  it('applies every migration once, even when five processes start together', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => migrate({ url: DATABASE_URL, schema })),
    );
    const newest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
    expect(results.flatMap((result) => result.applied)).toEqual(
      MIGRATIONS.map((migration) => migration.version),
    );
    expect(results.every((result) => result.version === newest)).toBe(true);
    expect((await migrate({ url: DATABASE_URL, schema })).applied).toEqual([]);
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      const rows = await client.query(`SELECT version FROM "${schema}".migrations ORDER BY 1`);
      expect(rows.rows.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await client.end();
    }
  });

  it('a change too big for NOTIFY still reaches watchers, with its record', async () => {
    const registry = createPostgresRegistry({ url: DATABASE_URL, schema, migrate: false });
    const namespace = uniqueNamespace('big-payload');
    const changes: RegistryChange[] = [];
    try {
      await registry.watch(namespace, (change) => changes.push(change));
      const now = Date.now();
      const metadata = { blob: 'x'.repeat(20_000), small: 1 };
      const record = {
        identity: 'big',
        metadata,
        registeredAt: now,
        updatedAt: now,
        expiresAt: null,
      };
      const until = async (count: number) => {
        const deadline = Date.now() + 5_000;
        while (changes.length < count && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 20));
      };
      await registry.put(namespace, record, { mode: 'create' }, now);
      await until(1);
      // The payload went without metadata; the listener read the record back.
      expect(changes[0]?.record).toEqual(record);
      await registry.delete(namespace, 'big', now);
      await until(2);
      expect(changes.map((change) => change.type)).toEqual(['registered', 'unregistered']);
    } finally {
      await registry.close();
    }
  });
});
