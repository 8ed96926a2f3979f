import type { FilterNode, LeafNode, Path } from '../ast/filter-node.js';
import { isLeaf } from '../ast/filter-node.js';
import type { JsonFilter } from '../json-form/json-operators.js';
import { isJsonOperator } from '../json-form/json-operators.js';

/**
 * Prints the JSON form. `parse(toJsonForm(ast))` gives back the same AST: keys whose last segment
 * looks like an operator, and the literal string "*", get an explicit `.eq`.
 */
export function toJsonForm(node: FilterNode): JsonFilter {
  switch (node.kind) {
    case 'all':
      return {};
    case 'and':
      return (
        mergeSiblings(node.children.map(toJsonForm)) ?? { $and: node.children.map(toJsonForm) }
      );
    case 'or':
      return { $or: node.children.map(toJsonForm) };
    case 'not':
      return negated(node.child) ?? { $not: toJsonForm(node.child) };
    default:
      return leafForm(node);
  }
}

/** Sibling keys are ANDed, so one-key objects with distinct keys merge into one object. */
function mergeSiblings(parts: readonly JsonFilter[]): JsonFilter | undefined {
  const merged: Record<string, unknown> = {};
  for (const part of parts) {
    const keys = Object.keys(part);
    if (keys.length !== 1 || Object.hasOwn(merged, keys[0]!)) return undefined;
    merged[keys[0]!] = part[keys[0]!];
  }
  return merged;
}

function negated(child: FilterNode): JsonFilter | undefined {
  if (!isLeaf(child)) return undefined;
  if (child.kind === 'eq') return { [key(child.path, 'ne')]: child.value };
  if (child.kind === 'exists') return { [key(child.path, 'exists')]: false };
  return undefined;
}

function leafForm(leaf: LeafNode): JsonFilter {
  switch (leaf.kind) {
    case 'eq':
      return { [bareKey(leaf.path, leaf.value)]: leaf.value };
    case 'range':
      return { [key(leaf.path, leaf.op)]: leaf.value };
    case 'startswith':
    case 'endswith':
    case 'contains':
      return { [key(leaf.path, leaf.kind)]: leaf.value };
    case 'matches':
      return {
        [key(leaf.path, 'regex')]: leaf.flags
          ? { pattern: leaf.pattern, flags: leaf.flags }
          : leaf.pattern,
      };
    case 'in':
      return { [key(leaf.path, 'in')]: [...leaf.values] };
    case 'exists':
      return { [key(leaf.path, 'exists')]: true };
    case 'type':
      return { [key(leaf.path, 'type')]: leaf.type };
  }
}

function key(path: Path, op: string): string {
  return `${path.join('.')}.${op}`;
}

/** `{"path": value}` unless that would read as an operator or as the `"*"` existence test. */
function bareKey(path: Path, value: unknown): string {
  const ambiguous = value === '*' || (path.length > 1 && isJsonOperator(path[path.length - 1]!));
  return ambiguous ? key(path, 'eq') : path.join('.');
}
