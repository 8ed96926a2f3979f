import type { SortKey } from '../slots/registry-slot.js';
import { compareSortValues } from './compare-sort-values.js';
import type { SortValue } from './sort-value.js';

/** Compares two tuples of sort values (see `sortValuesOf`) key by key, honouring directions. */
export function compareSortTuples(
  a: readonly SortValue[],
  b: readonly SortValue[],
  keys: readonly SortKey[],
): number {
  for (let i = 0; i < keys.length; i++) {
    const order = compareSortValues(a[i], b[i]);
    if (order !== 0) return keys[i]!.direction === 'desc' ? -order : order;
  }
  return 0;
}
