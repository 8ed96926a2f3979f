import type { FilterNode, LeafNode } from '../ast/filter-node.js';
import { isLeaf } from '../ast/filter-node.js';
import { formatPath } from './format-path.js';

const RANGE_SYMBOLS = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

/**
 * Prints the canonical string syntax. `parse(format(ast))` gives back the same AST; the
 * match-everything filter prints as the empty string.
 */
export function format(node: FilterNode): string {
  switch (node.kind) {
    case 'all':
      return '';
    case 'and':
      return node.children
        .map((child) => (child.kind === 'or' ? `(${format(child)})` : format(child)))
        .join(' and ');
    case 'or':
      return node.children.map(format).join(' or ');
    case 'not':
      return formatNot(node.child);
    default:
      return formatLeaf(node, false);
  }
}

function formatNot(child: FilterNode): string {
  if (isLeaf(child) && child.kind !== 'range') return formatLeaf(child, true);
  if (child.kind === 'and' || child.kind === 'or') return `not (${format(child)})`;
  return `not ${format(child)}`;
}

function formatLeaf(leaf: LeafNode, negated: boolean): string {
  const path = formatPath(leaf.path);
  const not = negated ? 'not ' : '';
  switch (leaf.kind) {
    case 'eq':
      return `${path} ${negated ? '!=' : '=='} ${JSON.stringify(leaf.value)}`;
    case 'range':
      return `${path} ${RANGE_SYMBOLS[leaf.op]} ${JSON.stringify(leaf.value)}`;
    case 'startswith':
    case 'endswith':
    case 'contains':
      return `${path} ${not}${leaf.kind} ${JSON.stringify(leaf.value)}`;
    case 'matches':
      return `${path} ${not}matches ${JSON.stringify(leaf.pattern)}${leaf.flags}`;
    case 'in':
      return `${path} ${not}in [${leaf.values.map((value) => JSON.stringify(value)).join(', ')}]`;
    case 'exists':
      return `${path} ${not}exists`;
    case 'type':
      return `${path} is ${not}${leaf.type}`;
  }
}
