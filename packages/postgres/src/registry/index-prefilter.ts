import type { FilterNode } from '@muster/filter';
import { pathSql } from './path-sql.js';
import type { SqlParameters } from './sql-parameters.js';

const SYMBOLS = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

/**
 * Conditions implied by the filter's top-level range and `startswith` leaves, written over the
 * expression-index expressions of `ensureIndexes` so the planner can use those btree indexes
 * (the jsonpath leaves of `toSql` can only use the GIN index, which serves no ranges).
 * Each condition is a superset of its leaf: the scalar case, or the value is an array (whose
 * elements the leaf itself checks). ANDed in front of the exact filter, it changes no answer.
 */
export function indexPrefilter(filter: FilterNode, params: SqlParameters): string[] {
  const leaves = filter.kind === 'and' ? filter.children : [filter];
  const conditions: string[] = [];
  for (const leaf of leaves) {
    if (leaf.kind !== 'range' && leaf.kind !== 'startswith') continue;
    const path = pathSql(
      't.metadata',
      leaf.path.map((segment) => `${params.add(segment)}::text`),
    );
    let scalar: string;
    if (leaf.kind === 'startswith') {
      // starts_with on a C-collated expression is btree-indexable since PostgreSQL 15.
      scalar = `starts_with(${path.text}, ${params.add(leaf.value)}::text)`;
    } else if (typeof leaf.value === 'number') {
      scalar = `${path.number} ${SYMBOLS[leaf.op]} ${params.add(String(leaf.value))}::numeric`;
    } else {
      scalar = `${path.text} ${SYMBOLS[leaf.op]} ${params.add(leaf.value)}::text`;
    }
    conditions.push(`(${scalar} OR ${path.isArray})`);
  }
  return conditions;
}
