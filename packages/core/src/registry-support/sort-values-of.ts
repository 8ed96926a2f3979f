import type { IdentityRecord } from '../slots/identity-record.js';
import type { SortKey } from '../slots/registry-slot.js';
import { type SortValue, sortValue } from './sort-value.js';

/** A record's values for each sort key, in key order: what a keyset cursor stores. */
export function sortValuesOf(record: IdentityRecord, keys: readonly SortKey[]): SortValue[] {
  const values: SortValue[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const by = keys[i]!.by;
    values[i] =
      'path' in by
        ? sortValue(record.metadata, by.path)
        : by.field === 'identity'
          ? record.identity
          : record.registeredAt;
  }
  return values;
}
