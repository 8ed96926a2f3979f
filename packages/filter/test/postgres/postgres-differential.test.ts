import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import type { FilterNode } from '../../src/ast/filter-node.js';
import { nodes } from '../../src/ast/nodes.js';
import { type SqlFilter, toSql } from '../../src/compile/postgres/index.js';
import { compile } from '../../src/evaluate/compile.js';
import { format } from '../../src/format/format.js';
import { documentArb, filterArb, runSeed } from '../../src/testing/arbitraries.js';
import { PostgresHarness } from './support/postgres-harness.js';

const BATCHES = 8;
const DOCUMENTS_PER_BATCH = 300;
const RUNS_PER_BATCH = 40;
const FILTERS_PER_RUN = 25;

const seed = runSeed();
const harness = await PostgresHarness.open('postgres-differential');

afterAll(async () => {
  await harness?.close();
});

interface Compiled {
  readonly filter: FilterNode;
  readonly positive: SqlFilter;
  readonly negative: SqlFilter;
}

describe.skipIf(harness === undefined)('PostgreSQL agrees with the evaluator', () => {
  test(`${BATCHES * RUNS_PER_BATCH * FILTERS_PER_RUN} random filters, with the TLP partition (seed ${seed})`, async () => {
    console.log(`postgres differential seed: ${seed} (replay with FILTER_SEED=${seed})`);
    const db = harness!;
    await db.client.query(`CREATE INDEX ON ${db.table} USING gin (metadata jsonb_path_ops)`);
    let checked = 0;
    for (let batch = 0; batch < BATCHES; batch++) {
      const [documents] = fc.sample(
        fc.array(documentArb, { minLength: DOCUMENTS_PER_BATCH, maxLength: DOCUMENTS_PER_BATCH }),
        { seed: seed + batch, numRuns: 1 },
      );
      await db.store(documents!.map((document, index) => [`d${index}`, document] as const));
      await db.client.query(`ANALYZE ${db.table}`);
      await fc.assert(
        fc.asyncProperty(
          fc.array(filterArb, { minLength: FILTERS_PER_RUN, maxLength: FILTERS_PER_RUN }),
          async (filters) => {
            await checkFilters(db, filters);
            checked += filters.length;
          },
        ),
        { seed: seed + batch, numRuns: RUNS_PER_BATCH },
      );
    }
    expect(checked).toBeGreaterThanOrEqual(2000);
  });

  test('regressions', async () => {
    const db = harness!;
    await db.store([
      ['nested', { a: [['x'], [1]], b: { c: [null] } }],
      ['array-of-objects', { a: [{ b: 'x' }], c: [{}] }],
      ['mixed', { a: ['x', 1, true, null, { b: 1 }], b: 'x' }],
      ['string', { a: 'x', b: { c: 'xyz' } }],
      ['big', { a: 1e21, b: JSON.parse('9007199254740993') as number, c: 0.1 }],
      ['empty', {}],
    ]);
    const f = (path: string[]) => path;
    await checkFilters(db, [
      nodes.eq(f(['a']), 'x'),
      nodes.eq(f(['a', 'b']), 'x'),
      nodes.eq(f(['a']), 1),
      nodes.eq(f(['b', 'c']), null),
      nodes.in(f(['a']), ['x', 1]),
      nodes.in(f(['a']), [null, 'y']),
      nodes.contains(f(['a']), null),
      nodes.contains(f(['b', 'c']), 'y'),
      nodes.contains(f(['a']), 'x'),
      nodes.range('gte', f(['a']), 1e21),
      nodes.range('gt', f(['b']), 9007199254740992),
      nodes.range('lt', f(['c']), 0.1),
      nodes.range('lte', f(['c']), 0.1),
      nodes.type(f(['a']), 'object'),
      nodes.type(f(['a']), 'array'),
      nodes.type(f(['a']), 'boolean'),
      nodes.type(f(['c']), 'object'),
      nodes.not(nodes.exists(f(['a', 'b']))),
      nodes.not(nodes.and([nodes.range('lt', f(['a']), 'y'), nodes.startsWith(f(['a']), '')])),
    ]);
  });
});

/**
 * Checks a run of filters against the stored documents with two queries: one row per document
 * with `f` and `not f` as columns (neither may be NULL, exactly one true when exact), and a
 * UNION ALL of `WHERE f` scans with sequential scans off, so GIN-driven plans are checked too.
 */
async function checkFilters(db: PostgresHarness, filters: readonly FilterNode[]): Promise<void> {
  const compiled: Compiled[] = [];
  const columns: string[] = [];
  const branches: string[] = [];
  const params: string[] = [];
  const whereParams: string[] = [];
  for (const [index, filter] of filters.entries()) {
    const positive = toSql(filter, { firstParameter: params.length + 1 });
    params.push(...positive.params);
    const negative = toSql(nodes.not(filter), { firstParameter: params.length + 1 });
    params.push(...negative.params);
    compiled.push({ filter, positive, negative });
    columns.push(`(${positive.sql}) AS p${index}`, `(${negative.sql}) AS n${index}`);
    const where = toSql(filter, { firstParameter: whereParams.length + 1 });
    whereParams.push(...where.params);
    branches.push(`SELECT ${index} AS k, id FROM ${db.table} WHERE ${where.sql}`);
  }
  const rows = (await db.client.query(`SELECT id, ${columns.join(', ')} FROM ${db.table}`, params))
    .rows as Record<string, unknown>[];
  await db.client.query('SET enable_seqscan = off');
  const scanned = (await db.client.query(branches.join('\nUNION ALL\n'), whereParams)).rows as {
    k: number;
    id: string;
  }[];
  await db.client.query('RESET enable_seqscan');

  for (const [index, { filter, positive, negative }] of compiled.entries()) {
    const predicate = compile(filter);
    const expected = db.ids().filter((id) => predicate(db.document(id)));
    const refine = (ids: string[], exact: boolean, test: (id: string) => boolean): string[] =>
      (exact ? ids : ids.filter(test)).sort();
    const matched: string[] = [];
    const unmatched: string[] = [];
    for (const row of rows) {
      const p = row[`p${index}`];
      const n = row[`n${index}`];
      const id = row.id as string;
      if (typeof p !== 'boolean' || typeof n !== 'boolean') {
        throw new Error(
          `NULL for ${explainFailure(filter, positive)} on ${id}: f=${p}, not f=${n}`,
        );
      }
      if (p) matched.push(id);
      if (n) unmatched.push(id);
      if (positive.exact && negative.exact && p === n) {
        throw new Error(
          `TLP: f=${p} and not f=${n} on ${id} ${JSON.stringify(db.document(id))}\n${explainFailure(filter, positive)}`,
        );
      }
    }
    const selected = refine(matched, positive.exact, (id) => predicate(db.document(id)));
    assertSame(db, filter, positive, 'select-list', selected, expected);
    const complement = refine(unmatched, negative.exact, (id) => !predicate(db.document(id)));
    assertSame(
      db,
      nodes.not(filter),
      negative,
      'select-list (not f)',
      complement,
      db.ids().filter((id) => !predicate(db.document(id))),
    );
    const viaWhere = scanned.filter((row) => row.k === index).map((row) => row.id);
    assertSame(
      db,
      filter,
      positive,
      'WHERE, seqscan off',
      refine(viaWhere, positive.exact, (id) => predicate(db.document(id))),
      expected,
    );
  }
}

function assertSame(
  db: PostgresHarness,
  filter: FilterNode,
  sql: SqlFilter,
  how: string,
  actual: readonly string[],
  expected: readonly string[],
): void {
  const want = new Set(expected);
  const got = new Set(actual);
  const extra = actual.filter((id) => !want.has(id));
  const missing = expected.filter((id) => !got.has(id));
  if (extra.length === 0 && missing.length === 0) return;
  const show = (ids: string[]) =>
    ids
      .slice(0, 3)
      .map((id) => `${id} ${JSON.stringify(db.document(id))}`)
      .join('\n  ');
  throw new Error(
    `${how}: PostgreSQL disagrees with the evaluator\n${explainFailure(filter, sql)}\n` +
      `returned but should not (${extra.length}):\n  ${show(extra)}\n` +
      `missing (${missing.length}):\n  ${show(missing)}`,
  );
}

function explainFailure(filter: FilterNode, sql: SqlFilter): string {
  return `filter: ${format(filter)}\nast: ${JSON.stringify(filter)}\nsql: ${sql.sql}\nparams: ${sql.params.join('\n        ')}`;
}
