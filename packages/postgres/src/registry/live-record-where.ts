import { type FilterNode, toSql } from '@muster/filter';
import { indexPrefilter } from './index-prefilter.js';
import { LIVE } from './registry-statements.js';
import type { SqlParameters } from './sql-parameters.js';

/** WHERE conditions (ANDed) and whether the filter's SQL form is exact (no superset). */
export interface LiveRecordWhere {
  readonly conditions: string[];
  readonly exact: boolean;
}

/**
 * The WHERE conditions selecting a namespace's live records matching `filter` from the registry
 * table (alias `t`): the namespace, liveness at `now` (expired rows no sweep removed yet do not
 * match), the index prefilter and the compiled filter, every value a bind parameter. Enumerate
 * and the outbox's target snapshot both select through it, so they cannot drift apart.
 */
export function liveRecordWhere(
  namespace: string,
  filter: FilterNode,
  now: number,
  params: SqlParameters,
): LiveRecordWhere {
  const conditions = [`t.namespace = ${params.add(namespace)}::text`];
  conditions.push(LIVE('t', `${params.add(now)}::bigint`));
  if (filter.kind === 'all') return { conditions, exact: true };
  conditions.push(...indexPrefilter(filter, params));
  const compiled = toSql(filter, { column: 't.metadata', firstParameter: params.next });
  for (const value of compiled.params) params.add(value);
  conditions.push(compiled.sql);
  return { conditions, exact: compiled.exact };
}
