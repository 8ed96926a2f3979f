import type { Predicate } from '@muster/filter';
import { compareSortTuples } from '../../registry-support/compare-sort-tuples.js';
import type { SortValue } from '../../registry-support/sort-value.js';
import { sortValuesOf } from '../../registry-support/sort-values-of.js';
import type { SortKey } from '../../slots/registry-slot.js';
import type { RegistryEntry } from './registry-entry.js';

/**
 * The entries matching one filter, sorted by keys other than the identity alone (registeredAt,
 * metadata paths), with each entry's sort values. Built once and reused page after page
 * until the next put, so a walk pays one sort and then a binary search per
 * page. Expired and dead entries are kept and skipped by readers: expiry and removal never
 * reorder what is left.
 */
export class SortedView {
  readonly entries: RegistryEntry[];
  readonly values: SortValue[][];
  readonly #keys: readonly SortKey[];

  constructor(
    stored: Iterable<RegistryEntry>,
    predicate: Predicate | undefined,
    keys: readonly SortKey[],
  ) {
    this.#keys = keys;
    const rows: { entry: RegistryEntry; values: SortValue[] }[] = [];
    for (const entry of stored) {
      const record = entry.record!;
      if (predicate === undefined || predicate(record.metadata))
        rows.push({ entry, values: sortValuesOf(record, keys) });
    }
    rows.sort((a, b) => compareSortTuples(a.values, b.values, keys));
    this.entries = rows.map((row) => row.entry);
    this.values = rows.map((row) => row.values);
  }

  /** Index of the first row strictly after the cursor's values. */
  startAfter(cursor: readonly SortValue[]): number {
    const values = this.values;
    let low = 0;
    let high = values.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareSortTuples(values[middle]!, cursor, this.#keys) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
