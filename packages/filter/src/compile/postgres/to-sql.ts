import type { FilterNode, LeafNode } from '../../ast/filter-node.js';
import { overApproximate } from '../../passes/over-approximate.js';
import { booleanSql } from './boolean-sql.js';
import { ParameterList } from './parameter-list.js';
import { quoteColumn } from './quote-column.js';

export interface ToSqlOptions {
  /** The jsonb column holding the metadata object: `name` or `alias.name`. Default `metadata`. */
  readonly column?: string;
  /** The number of the first placeholder, to follow the caller's own `$1..$n`. Default 1. */
  readonly firstParameter?: number;
}

export interface SqlFilter {
  /** A boolean SQL expression for a WHERE clause; user data appears only in `params`. */
  readonly sql: string;
  /** Values for `$firstParameter...`, in order: jsonpath texts (cast to jsonpath in `sql`). */
  readonly params: string[];
  /** False when rows must be re-checked with `compile(ast)`; the SQL then returns a superset. */
  readonly exact: boolean;
  /**
   * How many leaves a GIN `jsonb_path_ops` index on the column can serve in this query: leaves
   * that compile to `accessor == constant` jsonpaths (`==` and `in` without null, `contains` a
   * non-string, `is null`, `is boolean`) and sit under and/or only, where each `or` is fully served.
   */
  readonly indexedLeaves: number;
  /** True when the index can drive the whole WHERE (a bitmap scan instead of a full scan). */
  readonly indexed: boolean;
}

// Every leaf has an exact jsonpath form; overApproximate still folds `all`/`not(all)` anywhere.
const SUPPORTED = (_leaf: LeafNode): boolean => true;

/**
 * Compiles a filter to a PostgreSQL WHERE fragment over a jsonb column. Each leaf becomes
 * `column @? $n::jsonpath` with a bound strict-mode jsonpath built from fixed templates and
 * JSON.stringify'd keys and literals.
 */
export function toSql(ast: FilterNode, options: ToSqlOptions = {}): SqlFilter {
  const column = quoteColumn(options.column ?? 'metadata');
  const params = new ParameterList(options.firstParameter ?? 1);
  const { node, exact } = overApproximate(ast, SUPPORTED);
  const compiled = booleanSql(node, { column, params });
  return {
    sql: compiled.sql,
    params: params.values,
    exact,
    indexedLeaves: compiled.indexedLeaves,
    indexed: compiled.indexed,
  };
}
