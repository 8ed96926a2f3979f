import { MusterError } from '../errors/muster-error.js';
import type { SortKey } from '../slots/registry-slot.js';

const IDENTITY_ASC: SortKey = Object.freeze({
  by: Object.freeze({ field: 'identity' as const }),
  direction: 'asc' as const,
});

/**
 * The sort keys a registry actually orders by: the query's keys up to and including the first
 * identity key (identities are unique, so nothing after it can matter), then identity ascending
 * as the final tiebreak when the query has no identity key. Never empty; the last key is always
 * an identity key, so a cursor built from these keys names exactly one position.
 * Throws INVALID_ARGUMENT for a malformed key.
 */
export function normalizeSortKeys(sort: readonly SortKey[] | undefined): readonly SortKey[] {
  if (sort === undefined || sort.length === 0) return [IDENTITY_ASC];
  if (!Array.isArray(sort)) throw invalid('sort must be an array of sort keys', 'sort');
  const keys: SortKey[] = [];
  for (let i = 0; i < sort.length; i++) {
    const key = sort[i];
    checkKey(key, i);
    keys.push(key);
    if ('field' in key.by && key.by.field === 'identity') return keys;
  }
  keys.push(IDENTITY_ASC);
  return keys;
}

function checkKey(key: SortKey | undefined, index: number): asserts key is SortKey {
  const field = `sort[${index}]`;
  if (typeof key !== 'object' || key === null || typeof key.by !== 'object' || key.by === null)
    throw invalid(`${field} must be { by, direction }`, field);
  if (key.direction !== 'asc' && key.direction !== 'desc')
    throw invalid(`${field}.direction must be 'asc' or 'desc'`, field);
  if ('path' in key.by) {
    const path: unknown = key.by.path;
    if (
      !Array.isArray(path) ||
      path.length === 0 ||
      !path.every((segment) => typeof segment === 'string' && segment.length > 0)
    )
      throw invalid(`${field}.by.path must be a non-empty array of non-empty strings`, field);
    return;
  }
  if ('field' in key.by && (key.by.field === 'registeredAt' || key.by.field === 'identity')) return;
  throw invalid(`${field}.by must be { path } or { field: 'registeredAt' | 'identity' }`, field);
}

function invalid(message: string, field: string): MusterError {
  return new MusterError('INVALID_ARGUMENT', message, { details: { field } });
}
