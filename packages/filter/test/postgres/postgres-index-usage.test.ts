import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FilterNode } from '../../src/ast/filter-node.js';
import { toSql } from '../../src/compile/postgres/index.js';
import { parse } from '../../src/parse.js';
import { PostgresHarness } from './support/postgres-harness.js';

const ROWS = 5000;
const harness = await PostgresHarness.open('postgres-index-usage');

afterAll(async () => {
  await harness?.close();
});

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Actual Rows': number;
  readonly 'Rows Removed by Index Recheck'?: number;
  readonly 'Rows Removed by Filter'?: number;
  readonly Plans?: readonly PlanNode[];
}

function* walk(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* walk(child);
}

/** Node types in the plan, and how many heap rows the scans looked at. */
async function explain(
  ast: FilterNode,
): Promise<{ types: string[]; examined: number; ids: number }> {
  const db = harness!;
  const sql = toSql(ast);
  const { rows } = await db.client.query(
    `EXPLAIN (ANALYZE, FORMAT JSON) SELECT id FROM ${db.table} WHERE ${sql.sql}`,
    sql.params,
  );
  const plan = (rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan;
  const nodes = [...walk(plan)];
  let examined = 0;
  for (const node of nodes) {
    if (node['Node Type'] === 'Seq Scan') examined += ROWS;
    if (node['Node Type'] === 'Bitmap Heap Scan') {
      examined +=
        node['Actual Rows'] +
        (node['Rows Removed by Index Recheck'] ?? 0) +
        (node['Rows Removed by Filter'] ?? 0);
    }
  }
  return { types: nodes.map((node) => node['Node Type']), examined, ids: plan['Actual Rows'] };
}

describe.skipIf(harness === undefined)(
  'a GIN jsonb_path_ops index serves the reported leaves',
  () => {
    beforeAll(async () => {
      const db = harness!;
      const documents: [string, Record<string, unknown>][] = [];
      for (let i = 0; i < ROWS; i++) {
        documents.push([
          `d${i}`,
          {
            a: { b: i % 100 },
            caps: [`x${i % 50}`, i % 7],
            ...(i % 10 === 0 ? { flag: i % 20 === 0 } : {}),
            n: i % 20 === 0 ? null : i,
            s: `s${i}`,
          },
        ]);
      }
      await db.store(documents);
      await db.client.query(`CREATE INDEX ON ${db.table} USING gin (metadata jsonb_path_ops)`);
      await db.client.query(`ANALYZE ${db.table}`);
      await db.client.query('SET enable_seqscan = off');
    });

    test.each([
      ['a.b == 5', 1],
      ['a.b in [5, 6, 7]', 1],
      ['caps contains 3', 1],
    ])('%s uses a Bitmap Index Scan', async (filter, indexedLeaves) => {
      const ast = parse(filter);
      expect(toSql(ast)).toMatchObject({ indexed: true, indexedLeaves });
      const plan = await explain(ast);
      expect(plan.types).toContain('Bitmap Index Scan');
      expect(plan.types).not.toContain('Seq Scan');
      // The index narrowed the scan to (about) the matching rows: no full-index bitmap.
      expect(plan.ids).toBeGreaterThan(0);
      expect(plan.examined).toBeLessThanOrEqual(plan.ids + 5);
      expect(plan.ids).toBe(harness!.expected(ast).length);
    });

    // Each row: a filter, and whether the compiler reports it index-served. The plan must agree:
    // a served filter visits only a small part of the table; an unserved one visits all of it.
    test.each([
      ['a.b == 5', true],
      ['s == "s17"', true],
      ['flag == true', true],
      ['n == null', false],
      ['n in [1, 2]', true],
      ['n in [1, null]', false],
      ['caps contains "x3"', false],
      ['caps contains 3', true],
      ['n contains null', true],
      ['n is null', true],
      ['flag is boolean', true],
      ['s is string', false],
      ['a.b > 98', false],
      ['s startswith "s49"', false],
      ['flag exists', false],
      ['a.b == 5 and s startswith "s1"', true],
      ['a.b == 5 or caps contains 6', true],
      ['a.b == 5 or a.b > 98', false],
      ['a.b != 5', false],
    ])('%s: index-served is %s', async (filter, served) => {
      const ast = parse(filter);
      const sql = toSql(ast);
      expect(sql.indexed).toBe(served);
      expect(sql.indexedLeaves > 0).toBe(served);
      const plan = await explain(ast);
      expect(plan.ids).toBe(harness!.expected(ast).length);
      if (served) {
        expect(plan.types).toContain('Bitmap Index Scan');
        expect(plan.examined).toBeLessThan(ROWS * 0.3);
      } else {
        expect(plan.examined).toBe(ROWS);
      }
    });
  },
);
