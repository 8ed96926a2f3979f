import type { SortKey, SortValue } from '@muster/core';
import type { Filter } from 'mongodb';
import type { IdentityDocument } from './identity-document.js';

/** The stored field a native sort key orders by. */
export function nativeSortField(key: SortKey): 'identity' | 'registeredAt' | undefined {
  return 'field' in key.by ? key.by.field : undefined;
}

/**
 * Documents strictly after the keyset position `after` in the order of `keys` (identity and
 * registeredAt keys only): (k1 > v1) or (k1 = v1 and k2 > v2) or ..., with `<` for descending
 * keys. Strings compare by code point under the simple collation, numbers numerically.
 */
export function keysetCondition(
  keys: readonly SortKey[],
  after: readonly SortValue[],
): Filter<IdentityDocument> {
  const branches: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i++) {
    const branch: Record<string, unknown> = {};
    for (let j = 0; j < i; j++) branch[nativeSortField(keys[j]!)!] = after[j];
    const op = keys[i]!.direction === 'desc' ? '$lt' : '$gt';
    branch[nativeSortField(keys[i]!)!] = { [op]: after[i] };
    branches.push(branch);
  }
  return branches.length === 1 ? branches[0]! : { $or: branches };
}
