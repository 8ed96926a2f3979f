import { COMPOSITE, type SortKey, type SortValue } from '@muster/core';
import { pathSql } from './path-sql.js';
import type { SqlParameters } from './sql-parameters.js';

/**
 * One sort key in SQL. A metadata path sorts by three columns, which reproduce the kit's total
 * order missing < null < false < true < numbers < strings < arrays/objects: a type rank, the
 * numeric value (numbers only) and the text under the C collation (strings only, so UTF-8
 * byte order, which is code point order). Within one rank only one of the two is ever set.
 */
export interface SortSql {
  /** ORDER BY terms, direction included. */
  readonly orderBy: readonly string[];
  /** An expression selected per row so the last row's sort value can go into the cursor. */
  readonly select?: string;
  /** "Row comes after the cursor value in this key's direction", and "row ties it". */
  after(value: SortValue, params: SqlParameters): string;
  tie(value: SortValue, params: SqlParameters): string;
}

/** Ranks as in `compareSortValues` (0 missing ... 6 array/object). */
export function sortRank(value: SortValue): number {
  if (value === undefined) return 0;
  if (value === null) return 1;
  if (value === false) return 2;
  if (value === true) return 3;
  if (typeof value === 'number') return 4;
  if (typeof value === 'string') return 5;
  return 6;
}

export function sortSql(key: SortKey, params: SqlParameters): SortSql {
  const desc = key.direction === 'desc';
  const direction = desc ? ' DESC' : '';
  const greater = desc ? '<' : '>';
  const by = key.by;
  if ('field' in by) {
    const column = by.field === 'identity' ? 't.identity' : 't.registered_at';
    const cast = by.field === 'identity' ? '::text' : '::bigint';
    return {
      orderBy: [`${column}${direction}`],
      after: (value, p) => `${column} ${greater} ${p.add(value)}${cast}`,
      tie: (value, p) => `${column} = ${p.add(value)}${cast}`,
    };
  }
  const { value, number, text } = pathSql(
    't.metadata',
    by.path.map((segment) => `${params.add(segment)}::text`),
  );
  const rank = `(CASE jsonb_typeof(${value}) WHEN 'null' THEN 1 WHEN 'boolean' THEN CASE WHEN ${value} = 'true'::jsonb THEN 3 ELSE 2 END WHEN 'number' THEN 4 WHEN 'string' THEN 5 WHEN 'array' THEN 6 WHEN 'object' THEN 6 ELSE 0 END)`;
  return {
    orderBy: [`${rank}${direction}`, `${number}${direction}`, `${text}${direction}`],
    // Wrapped in an array so a JSON null and a missing value (SQL NULL) stay distinct.
    select: `CASE WHEN ${value} IS NULL THEN NULL WHEN jsonb_typeof(${value}) IN ('array', 'object') THEN '[[]]'::jsonb ELSE jsonb_build_array(${value}) END`,
    after: (cursor, p) => {
      const cursorRank = sortRank(cursor);
      const within =
        typeof cursor === 'number'
          ? `${number} ${greater} ${p.add(String(cursor))}::numeric`
          : typeof cursor === 'string'
            ? `${text} ${greater} ${p.add(cursor)}::text`
            : 'FALSE';
      return `(${rank} ${greater} ${cursorRank} OR (${rank} = ${cursorRank} AND ${within}))`;
    },
    tie: (cursor, p) => {
      const cursorRank = sortRank(cursor);
      const within =
        typeof cursor === 'number'
          ? ` AND ${number} = ${p.add(String(cursor))}::numeric`
          : typeof cursor === 'string'
            ? ` AND ${text} = ${p.add(cursor)}::text`
            : '';
      return `(${rank} = ${cursorRank}${within})`;
    },
  };
}

/** The sort value of a selected `select` column (see above). */
export function sortValueFromColumn(column: unknown): SortValue {
  if (column === null || column === undefined) return undefined;
  const [value] = column as [unknown];
  if (Array.isArray(value)) return COMPOSITE;
  return value as SortValue;
}

/**
 * The keyset condition "strictly after the cursor" over all keys, lexicographically:
 * after1 OR (tie1 AND (after2 OR (tie2 AND ...))). The last key is always an identity key.
 */
export function keysetSql(
  sorts: readonly SortSql[],
  cursor: readonly SortValue[],
  params: SqlParameters,
): string {
  let condition = '';
  for (let i = sorts.length - 1; i >= 0; i--) {
    const sort = sorts[i]!;
    const value = cursor[i];
    const after = sort.after(value, params);
    condition =
      condition === '' ? after : `(${after} OR (${sort.tie(value, params)} AND ${condition}))`;
  }
  return condition;
}
