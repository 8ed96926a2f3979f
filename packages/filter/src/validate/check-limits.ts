import type { FilterNode } from '../ast/filter-node.js';
import { isLeaf } from '../ast/filter-node.js';
import { invalidFilter } from '../errors/filter-error.js';
import type { FilterLimits } from './filter-limits.js';

export interface FilterSize {
  /** Longest chain of nested and/or/not, not counting a `not` directly over a leaf. */
  readonly depth: number;
  /** Number of leaves. */
  readonly comparisons: number;
}

export function measureFilter(node: FilterNode): FilterSize {
  if (node.kind === 'all') return { depth: 0, comparisons: 0 };
  if (isLeaf(node)) return { depth: 0, comparisons: 1 };
  if (node.kind === 'not') {
    const inner = measureFilter(node.child);
    return {
      depth: isLeaf(node.child) ? inner.depth : inner.depth + 1,
      comparisons: inner.comparisons,
    };
  }
  let depth = 0;
  let comparisons = 0;
  for (const child of node.children) {
    const size = measureFilter(child);
    depth = Math.max(depth, size.depth);
    comparisons += size.comparisons;
  }
  return { depth: depth + 1, comparisons };
}

/** Throws INVALID_FILTER naming the first limit the filter exceeds. */
export function checkLimits(node: FilterNode, limits: FilterLimits): void {
  const size = measureFilter(node);
  if (size.depth > limits.maxDepth) {
    throw invalidFilter(
      `filter is nested ${size.depth} levels deep; the limit (maxDepth) is ${limits.maxDepth}`,
      { limit: 'maxDepth' },
    );
  }
  if (size.comparisons > limits.maxComparisons) {
    throw invalidFilter(
      `filter has ${size.comparisons} comparisons; the limit (maxComparisons) is ${limits.maxComparisons}`,
      { limit: 'maxComparisons' },
    );
  }
  checkLeafLimits(node, limits);
}

function checkLeafLimits(node: FilterNode, limits: FilterLimits): void {
  switch (node.kind) {
    case 'and':
    case 'or':
      for (const child of node.children) checkLeafLimits(child, limits);
      return;
    case 'not':
      checkLeafLimits(node.child, limits);
      return;
    case 'in':
      if (node.values.length > limits.maxInItems) {
        throw invalidFilter(
          `"in" list has ${node.values.length} items; the limit (maxInItems) is ${limits.maxInItems}`,
          { limit: 'maxInItems' },
        );
      }
      return;
    case 'matches': {
      const length = [...node.pattern].length;
      if (length > limits.maxRegexLength) {
        throw invalidFilter(
          `regex is ${length} characters long; the limit (maxRegexLength) is ${limits.maxRegexLength}`,
          { limit: 'maxRegexLength' },
        );
      }
      return;
    }
    default:
      return;
  }
}

export function checkInputLength(length: number, limits: FilterLimits): void {
  if (length > limits.maxInputLength) {
    throw invalidFilter(
      `filter is ${length} characters long; the limit (maxInputLength) is ${limits.maxInputLength}`,
      { limit: 'maxInputLength' },
    );
  }
}
