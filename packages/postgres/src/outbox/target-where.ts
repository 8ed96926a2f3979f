import { MusterError } from '@muster/core';
import { type FilterNode, toSql } from '@muster/filter';
import { indexPrefilter } from '../registry/index-prefilter.js';
import { LIVE } from '../registry/registry-statements.js';
import type { SqlParameters } from '../registry/sql-parameters.js';

/**
 * The WHERE conditions selecting a multicast's targets from the registry table (alias `t`),
 * built exactly as the registry's enumerate builds them: the namespace, liveness at `now`
 * (expired rows no sweep removed yet are not targets), the index prefilter and the compiled
 * filter, every value a bind parameter.
 */
export function targetWhere(
  namespace: string,
  filter: FilterNode,
  now: number,
  params: SqlParameters,
): string[] {
  const where = [`t.namespace = ${params.add(namespace)}::text`];
  where.push(LIVE('t', `${params.add(now)}::bigint`));
  if (filter.kind !== 'all') {
    where.push(...indexPrefilter(filter, params));
    const compiled = toSql(filter, { column: 't.metadata', firstParameter: params.next });
    // The snapshot is resolved in SQL alone: a superset would need re-checking in JavaScript.
    if (!compiled.exact)
      throw new MusterError('INTERNAL', 'the filter has no exact SQL form for the outbox');
    for (const value of compiled.params) params.add(value);
    where.push(compiled.sql);
  }
  return where;
}
