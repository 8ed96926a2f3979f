import type { SortKey } from '../slots/registry-slot.js';
import { invalidSlotArgument } from './invalid-slot-argument.js';
import type { SortValue } from './sort-value.js';

/**
 * A decoded cursor fits its sort: identity positions hold strings and registeredAt positions
 * numbers; otherwise it came from another sort (INVALID_ARGUMENT).
 */
export function checkCursorTypes(after: readonly SortValue[], keys: readonly SortKey[]): void {
  for (let i = 0; i < keys.length; i++) {
    const by = keys[i]!.by;
    if ('path' in by) continue;
    const expected = by.field === 'identity' ? 'string' : 'number';
    if (typeof after[i] !== expected)
      throw invalidSlotArgument('malformed cursor: it does not fit this sort', 'cursor');
  }
}
