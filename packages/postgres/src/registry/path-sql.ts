/**
 * SQL expressions over one metadata path, shared by sorting, the index prefilter and the
 * expression indexes of `ensureIndexes` (an index is used only when the query's expression is
 * the same as the index's, so both come from here). `segments` are SQL text: placeholders in
 * queries (the planner folds bound values into constants), escaped literals in index DDL.
 */
export interface PathSql {
  /** The jsonb value: `->` reads object members only, NULL when missing or not an object. */
  readonly value: string;
  /** The number, for numbers only (the CASE guards the cast: a string never errors). */
  readonly number: string;
  /** The string under the C collation (byte order = code point order), for strings only. */
  readonly text: string;
  readonly isArray: string;
}

export function pathSql(column: string, segments: readonly string[]): PathSql {
  const value = `(${column}${segments.map((segment) => ` -> ${segment}`).join('')})`;
  return {
    value,
    number: `(CASE WHEN jsonb_typeof(${value}) = 'number' THEN (${value})::numeric END)`,
    text: `((CASE WHEN jsonb_typeof(${value}) = 'string' THEN ${value} #>> '{}' END) COLLATE "C")`,
    isArray: `(jsonb_typeof(${value}) = 'array')`,
  };
}
