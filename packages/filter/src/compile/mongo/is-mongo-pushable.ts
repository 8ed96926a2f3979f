import type { LeafNode } from '../../ast/filter-node.js';
import { isBacktrackingSafe } from '../../regex/is-backtracking-safe.js';

/**
 * The leaves MongoDB evaluates exactly. All but `matches` always are; a regex is pushed down only
 * when PCRE (a backtracking engine) cannot blow up on it: otherwise a hostile pattern could burn
 * server CPU or hit PCRE's match limit (an error, not an answer), so it is re-checked in memory.
 */
export function isMongoPushable(leaf: LeafNode): boolean {
  return leaf.kind !== 'matches' || isBacktrackingSafe(leaf.pattern, leaf.flags);
}
