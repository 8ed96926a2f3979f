// Index use on 100,000 identities, proven with EXPLAIN of the SQL enumerate sends: an equality
// filter is served by the GIN jsonb_path_ops index, a range and a prefix on a path that
// ensureIndexes covered by its expression indexes, and the answers stay exact.
import { uniqueNamespace } from '@muster/conformance';
import { type EnumerateQuery, MusterError } from '@muster/core';
import { type FilterNode, parse } from '@muster/filter';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresRegistry, type PostgresRegistry } from '../src/index.js';
import {
  DATABASE_URL,
  databaseReachable,
  dropSchema,
  uniqueSchema,
} from './support/test-database.js';

const reachable = await databaseReachable();
const schema = uniqueSchema('indexes');
const ROWS = 100_000;
const now = Date.now();

function query(filter: FilterNode, limit = 100): EnumerateQuery {
  return { filter, limit, sort: [], includeMetadata: false, totalCount: true };
}

describe.skipIf(!reachable)('postgres: indexes on 100,000 identities', () => {
  let registry: PostgresRegistry;
  const namespace = uniqueNamespace('indexes');

  beforeAll(async () => {
    registry = createPostgresRegistry({ url: DATABASE_URL, schema });
    await registry.count(namespace, now); // runs the migrations
    // Seeded in SQL for speed: the adapter's writes are exercised by the conformance kit.
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO "${schema}".identities (namespace, identity, metadata, registered_at, updated_at, expires_at)
         SELECT $1, 'device-' || lpad(i::text, 6, '0'),
           jsonb_build_object(
             'device_type', CASE WHEN i % 100 = 0 THEN 'gateway' ELSE 'sensor' END,
             'zone', 'z' || (i % 1000),
             'battery_level', (i % 1000) / 1000.0,
             'firmware_version', '1.' || (i % 7) || '.' || (i % 13),
             'tags', CASE WHEN i % 50 = 0 THEN jsonb_build_array('x', i % 1000) ELSE '[]'::jsonb END),
           $2, $2, NULL
         FROM generate_series(1, ${ROWS}) AS i`,
        [namespace, now],
      );
      await client.query(`ANALYZE "${schema}".identities`);
    } finally {
      await client.end();
    }
  }, 120_000);

  afterAll(async () => {
    await registry?.close();
    await dropSchema(schema);
  });

  it('an equality filter uses the GIN index (Bitmap Index Scan) and is exact', async () => {
    const filter = parse('zone == "z7"');
    const plan = await registry.explain(namespace, query(filter), now);
    expect(plan).toMatch(/Bitmap Index Scan on identities_metadata_path_ops/);
    const page = await registry.enumerate(namespace, query(filter, 1_000), now);
    expect(page.totalCount).toBe(ROWS / 1_000);
    expect(page.items).toHaveLength(ROWS / 1_000);
    // At 1% a first page of 100 is cheaper in identity order (the primary key) than through
    // the index; the planner decides, the answer is the same.
    const broad = await registry.enumerate(
      namespace,
      query(parse('device_type == "gateway"')),
      now,
    );
    expect(broad.totalCount).toBe(ROWS / 100);
  });

  it('ranges and prefixes use the expression indexes of ensureIndexes', async () => {
    const range = parse('battery_level < 0.002');
    const prefix = parse('firmware_version startswith "1.3.1"');
    expect(await registry.explain(namespace, query(range), now)).not.toMatch(/_num/);
    await registry.ensureIndexes(namespace, [['battery_level'], ['firmware_version']]);
    await registry.ensureIndexes(namespace, [['battery_level']]); // idempotent
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`ANALYZE "${schema}".identities`);
    await client.end();
    expect(await registry.explain(namespace, query(range), now)).toMatch(
      /Index Scan on identities_path_[0-9a-f]+_num/,
    );
    expect(await registry.explain(namespace, query(prefix), now)).toMatch(
      /Index Scan on identities_path_[0-9a-f]+_str/,
    );
    // battery_level in {0, 0.001} for i % 1000 in {0, 1}: 200 rows; arrays never hold numbers < 0.002 here.
    expect((await registry.enumerate(namespace, query(range), now)).totalCount).toBe(200);
    const prefixed = await registry.enumerate(namespace, query(prefix, 1000), now);
    const expected = Array.from({ length: ROWS }, (_, k) => k + 1).filter((i) =>
      `1.${i % 7}.${i % 13}`.startsWith('1.3.1'),
    ).length;
    expect(prefixed.totalCount).toBe(expected);
  });

  it('a filter never becomes SQL text: hostile keys and values are bound parameters', async () => {
    const filter = parse(`"x'; DROP TABLE identities; --" == "'); DELETE FROM identities; --"`);
    const sent: string[] = [];
    const pool = registry.pool;
    const original = pool.query.bind(pool);
    pool.query = ((config: { text: string }, ...rest: unknown[]) => {
      sent.push(typeof config === 'string' ? config : config.text);
      return (original as (...args: unknown[]) => unknown)(config, ...rest);
    }) as typeof pool.query;
    const page = await registry.enumerate(namespace, query(filter), now);
    pool.query = original;
    expect(page.totalCount).toBe(0);
    expect(sent.length).toBeGreaterThan(0);
    for (const text of sent) expect(text).not.toMatch(/DROP|DELETE|identities; --/);
    expect(await registry.count(namespace, now)).toBe(ROWS);
  });

  it('an invalid schema name is refused', () => {
    expect(() => createPostgresRegistry({ schema: 'Bad; schema' })).toThrow(MusterError);
  });
});
