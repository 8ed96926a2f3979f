import { parseRegex } from './parse-regex.js';
import type { RegexNode } from './regex-node.js';

/**
 * Most match paths a backtracking engine may try from one start position, not counting the one
 * unbounded quantifier (see below).
 */
export const MAX_BACKTRACKING_PATHS = 256;

/**
 * Conservative: true only when a backtracking engine (PCRE) cannot blow up on the pattern.
 *
 * The rule: every quantifier applies to a single-character atom (a literal or a set; never a
 * group, so there are no nested or quantified-group repetitions), at most one quantifier is
 * unbounded (`*`, `+`, `{m,}`), and the product of the choices of every bounded quantifier
 * (max - min + 1) and every alternation (its number of alternatives) is at most
 * MAX_BACKTRACKING_PATHS. Then one start position tries at most that many paths times the
 * subject length, each path linear in the pattern, so a whole unanchored search is at worst
 * quadratic in the subject length and never exponential.
 *
 * Throws like parseRegex for an invalid pattern.
 */
export function isBacktrackingSafe(pattern: string, flags: '' | 'i'): boolean {
  const state = { unbounded: 0, paths: 1 };
  return visit(parseRegex(pattern, flags), state) && state.unbounded <= 1;
}

function visit(node: RegexNode, state: { unbounded: number; paths: number }): boolean {
  switch (node.kind) {
    case 'empty':
    case 'char':
    case 'set':
    case 'start':
    case 'end':
      return true;
    case 'concat':
      return node.items.every((item) => visit(item, state));
    case 'alternation':
      state.paths *= node.alternatives.length;
      return (
        state.paths <= MAX_BACKTRACKING_PATHS &&
        node.alternatives.every((alternative) => visit(alternative, state))
      );
    case 'repeat':
      if (node.node.kind !== 'char' && node.node.kind !== 'set') return false;
      if (node.max === null) {
        state.unbounded++;
        return state.unbounded <= 1;
      }
      state.paths *= node.max - node.min + 1;
      return state.paths <= MAX_BACKTRACKING_PATHS;
  }
}
