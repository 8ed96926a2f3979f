import { compareIdentities } from './compare-identities.js';
import { COMPOSITE, type SortValue } from './sort-value.js';

/**
 * The total order of sort values every registry adapter follows:
 * missing < null < false < true < numbers (numerically) < strings (by code point)
 * < arrays and objects (equal among themselves; the identity breaks the tie).
 */
export function compareSortValues(a: SortValue, b: SortValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return compareIdentities(a, b);
  return rankOf(a) - rankOf(b);
}

function rankOf(value: SortValue): number {
  switch (typeof value) {
    case 'undefined':
      return 0;
    case 'boolean':
      return value ? 3 : 2;
    case 'number':
      return 4;
    case 'string':
      return 5;
    default:
      return value === null ? 1 : value === COMPOSITE ? 6 : 7;
  }
}
