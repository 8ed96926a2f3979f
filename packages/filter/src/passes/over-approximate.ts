import type { FilterNode, LeafNode } from '../ast/filter-node.js';
import { isLeaf } from '../ast/filter-node.js';
import { nodes } from '../ast/nodes.js';

/** The result of pushing down only what a backend can evaluate exactly. */
export interface Approximation {
  /**
   * A filter that matches every identity the original matches, and maybe more. `all` when nothing
   * could be pushed down; `not(all)` when the original can never match.
   */
  readonly node: FilterNode;
  /** True when `node` means exactly the original, so results need no re-check in memory. */
  readonly exact: boolean;
}

const TRUE = nodes.all();
const FALSE = nodes.not(TRUE);

/**
 * Replaces each leaf the backend cannot evaluate by true where it counts positively and by false
 * under an odd number of `not`s, then simplifies. The result is a superset prefilter: the caller
 * re-checks what the backend returns with `compile(original)`.
 */
export function overApproximate(
  node: FilterNode,
  supported: (leaf: LeafNode) => boolean,
): Approximation {
  let exact = true;
  const visit = (current: FilterNode, positive: boolean): FilterNode => {
    if (current.kind === 'all') return TRUE;
    if (isLeaf(current)) {
      if (supported(current)) return current;
      exact = false;
      return positive ? TRUE : FALSE;
    }
    if (current.kind === 'not') {
      const inner = visit(current.child, !positive);
      if (inner === TRUE) return FALSE;
      if (inner === FALSE) return TRUE;
      return nodes.not(inner);
    }
    const absorbing = current.kind === 'and' ? FALSE : TRUE;
    const neutral = current.kind === 'and' ? TRUE : FALSE;
    const kept: FilterNode[] = [];
    for (const child of current.children) {
      const relaxed = visit(child, positive);
      if (relaxed === absorbing) return absorbing;
      if (relaxed !== neutral) kept.push(relaxed);
    }
    if (kept.length === 0) return neutral;
    return current.kind === 'and' ? nodes.and(kept) : nodes.or(kept);
  };
  const relaxed = visit(node, true);
  return { node: relaxed, exact };
}
