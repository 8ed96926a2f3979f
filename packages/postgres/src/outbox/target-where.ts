import { MusterError } from '@muster/core';
import type { FilterNode } from '@muster/filter';
import { liveRecordWhere } from '../registry/live-record-where.js';
import type { SqlParameters } from '../registry/sql-parameters.js';

/**
 * The WHERE conditions selecting a multicast's targets from the registry table (alias `t`),
 * built by the same `liveRecordWhere` as the registry's enumerate.
 */
export function targetWhere(
  namespace: string,
  filter: FilterNode,
  now: number,
  params: SqlParameters,
): string[] {
  const { conditions, exact } = liveRecordWhere(namespace, filter, now, params);
  // The snapshot is resolved in SQL alone: a superset would need re-checking in JavaScript.
  if (!exact) throw new MusterError('INTERNAL', 'the filter has no exact SQL form for the outbox');
  return conditions;
}
