import type { FilterNode, LeafNode, Path, Scalar } from '../../ast/filter-node.js';
import { invalidFilter } from '../../errors/filter-error.js';
import { overApproximate } from '../../passes/over-approximate.js';
import { keyProblem, stringProblem } from '../../validate/key-rules.js';

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
  const path = checkPath(leaf.path);
  switch (leaf.kind) {
    case 'eq':
    case 'contains':
      return [leaf.kind, path, checkScalar(leaf.value)];
    case 'range':
      return [leaf.op, path, checkScalar(leaf.value)];
    case 'startswith':
    case 'endswith':
      return [leaf.kind, path, checkScalar(leaf.value)];
    case 'in':
      return ['in', path, leaf.values.map(checkScalar)];
    case 'exists':
      return ['exists', path];
    case 'type':
      return ['type', path, leaf.type];
    case 'matches':
      // overApproximate removed every matches leaf.
      throw invalidFilter('matches cannot be evaluated in Lua');
  }
}

// Parsed filters already obey these rules; ASTs built by hand might not, and a non-finite
// number would serialize as null (a different filter) and a lone surrogate would fail in cjson.
function checkPath(path: Path): Path {
  if (path.length === 0) throw invalidFilter('a path must not be empty');
  for (const segment of path) {
    const problem = keyProblem(segment);
    if (problem) throw invalidFilter(problem);
  }
  return path;
}

function checkScalar<T extends Scalar>(value: T): T {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw invalidFilter(`number ${value} is not finite`);
  }
  if (typeof value === 'string') {
    const problem = stringProblem(value);
    if (problem) throw invalidFilter(problem);
  }
  return value;
}
