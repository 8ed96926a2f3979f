import pg from 'pg';
import type { FilterNode } from '../../../src/ast/filter-node.js';
import { type SqlFilter, toSql } from '../../../src/compile/postgres/index.js';
import { compile } from '../../../src/evaluate/compile.js';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The ids one filter selected, before and after the in-memory re-check. */
export interface PostgresResult {
  readonly sql: SqlFilter;
  /** Ids the server returned, sorted. */
  readonly raw: readonly string[];
  /** `raw` re-checked with compile(ast) when the SQL is not exact, else `raw`. */
  readonly refined: readonly string[];
}

/**
 * Test-only glue to a real PostgreSQL: one connection per test file and a TEMPORARY table
 * `(id text, metadata jsonb)`, which is private to the session, so parallel files never collide.
 */
export class PostgresHarness {
  readonly client: pg.Client;
  readonly table: string;
  private documents = new Map<string, Record<string, unknown>>();

  private constructor(client: pg.Client, table: string) {
    this.client = client;
    this.table = table;
  }

  /**
   * Connects and creates the table. Returns undefined (after saying why) when the server is
   * unreachable, except under CI=true, where that is an error.
   */
  static async open(name: string, table = 'filter_docs'): Promise<PostgresHarness | undefined> {
    const client = new pg.Client({
      connectionString: DATABASE_URL,
      connectionTimeoutMillis: 3_000,
    });
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => {});
      const message = `PostgreSQL at ${redact(DATABASE_URL)} is unreachable: ${String(error)}`;
      if (process.env.CI === 'true') throw new Error(message);
      console.warn(`SKIPPING PostgreSQL tests (${name}): ${message}`);
      return undefined;
    }
    // `enable_seqscan = off` inflates plan costs past jit_above_cost; JIT would dominate run time.
    await client.query('SET jit = off');
    await client.query(
      `CREATE TEMPORARY TABLE ${table} (id text PRIMARY KEY, metadata jsonb NOT NULL)`,
    );
    return new PostgresHarness(client, table);
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  /** Replaces the table's rows. Stores JSON.stringify'd values, as an application would. */
  async store(documents: Iterable<readonly [string, Record<string, unknown>]>): Promise<void> {
    const entries = [...documents].map(([id, metadata]) => ({ id, metadata }));
    this.documents = new Map(
      entries.map(({ id, metadata }) => [id, JSON.parse(JSON.stringify(metadata))]),
    );
    await this.client.query(`TRUNCATE ${this.table}`);
    await this.client.query(
      `INSERT INTO ${this.table} (id, metadata)
       SELECT e->>'id', e->'metadata' FROM jsonb_array_elements($1::jsonb) AS e`,
      [JSON.stringify(entries)],
    );
  }

  /** The stored metadata of a row, as JSON read back into JS (what the evaluator sees). */
  document(id: string): Record<string, unknown> {
    const document = this.documents.get(id);
    if (!document) throw new Error(`no document ${id}`);
    return document;
  }

  ids(): string[] {
    return [...this.documents.keys()].sort();
  }

  /** Runs `SELECT id ... WHERE <toSql(ast)>` and re-checks in memory when not exact. */
  async select(ast: FilterNode): Promise<PostgresResult> {
    const sql = toSql(ast);
    const { rows } = await this.client.query<{ id: string }>(
      `SELECT id FROM ${this.table} WHERE ${sql.sql}`,
      sql.params,
    );
    const raw = rows.map((row) => row.id).sort();
    const predicate = compile(ast);
    const refined = sql.exact ? raw : raw.filter((id) => predicate(this.document(id)));
    return { sql, raw, refined };
  }

  /** What the evaluator (the oracle) selects from the stored documents, sorted. */
  expected(ast: FilterNode): string[] {
    const predicate = compile(ast);
    return this.ids().filter((id) => predicate(this.document(id)));
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
