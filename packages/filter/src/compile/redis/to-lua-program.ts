import type { FilterNode, LeafNode } from '../../ast/filter-node.js';
import { invalidFilter } from '../../errors/filter-error.js';
import { overApproximate } from '../../passes/over-approximate.js';
import { checkLeaf } from '../../validate/check-leaf.js';

/** A program for LUA_FILTER_SCRIPT (ARGV[1]) or the library's `muster_filter_compile`. */
export interface LuaProgram {
  /** The encoded filter: JSON arrays `[op, path, operand]`, `[and|or, ...children]`, `[not, child]`. */
  readonly program: string;
  /** False when the script returns a superset: re-check its results with `compile(ast)`. */
  readonly exact: boolean;
}

type Encoded = readonly unknown[];

/**
 * Encodes an AST for the fixed Lua evaluator. Lua has no regex engine for our subset, so
 * `matches` leaves are relaxed to true/false by polarity and `exact` is false. User data only
 * ever travels as JSON strings and numbers (JSON.stringify gives the shortest round-trip
 * digits, which cjson's strtod decodes to the same double).
 */
export function toLuaProgram(ast: FilterNode): LuaProgram {
  const { node, exact } = overApproximate(ast, (leaf) => leaf.kind !== 'matches');
  return { program: JSON.stringify(encode(node)), exact };
}

function encode(node: FilterNode): Encoded {
  switch (node.kind) {
    case 'all':
      return ['all'];
    case 'not':
      return ['not', encode(node.child)];
    case 'and':
    case 'or':
      return [node.kind, ...node.children.map(encode)];
    default:
      return encodeLeaf(node);
  }
}

function encodeLeaf(leaf: LeafNode): Encoded {
  checkLeaf(leaf);
  const path = leaf.path;
  switch (leaf.kind) {
    case 'eq':
    case 'contains':
    case 'startswith':
    case 'endswith':
      return [leaf.kind, path, leaf.value];
    case 'range':
      return [leaf.op, path, leaf.value];
    case 'in':
      return ['in', path, leaf.values];
    case 'exists':
      return ['exists', path];
    case 'type':
      return ['type', path, leaf.type];
    case 'matches':
      // overApproximate removed every matches leaf.
      throw invalidFilter('matches cannot be evaluated in Lua');
  }
}
