import type { FilterNode, LeafNode, Scalar } from '../ast/filter-node.js';
import { compileRegexMatcher } from '../regex/compile-regex-matcher.js';
import { compareCodePoints } from './compare-code-points.js';
import type { Predicate } from './predicate.js';
import { type PathReader, resolvePath } from './resolve-path.js';

type Test = (value: unknown) => boolean;

/**
 * Compiles an AST into a predicate built from closures specialised per operator, operand type
 * and path depth. Used where code generation is not allowed (e.g. Node run with
 * --disallow-code-generation-from-strings), and as a second implementation that the generated
 * predicate is tested against.
 */
export function compileClosures(node: FilterNode): Predicate {
  return compileNode(node) as Predicate;
}

function compileNode(node: FilterNode): (doc: unknown) => boolean {
  switch (node.kind) {
    case 'all':
      return () => true;
    case 'not': {
      const inner = compileNode(node.child);
      return (doc) => !inner(doc);
    }
    case 'and':
      return conjunction(node.children.map(compileNode));
    case 'or':
      return disjunction(node.children.map(compileNode));
    default:
      return compileLeaf(node);
  }
}

type Node = (doc: unknown) => boolean;

function conjunction(parts: readonly Node[]): Node {
  return (doc) => {
    for (let i = 0; i < parts.length; i++) if (!parts[i]!(doc)) return false;
    return true;
  };
}

function disjunction(parts: readonly Node[]): Node {
  return (doc) => {
    for (let i = 0; i < parts.length; i++) if (parts[i]!(doc)) return true;
    return false;
  };
}

function compileLeaf(leaf: LeafNode): (doc: unknown) => boolean {
  const read = resolvePath(leaf.path);
  switch (leaf.kind) {
    case 'exists':
      return (doc) => read(doc) !== undefined;
    case 'eq':
      return leaf.value === null ? equalsNull(read) : anyCandidate(read, equalsScalar(leaf.value));
    case 'in':
      return membership(read, leaf.values);
    case 'range':
      return anyCandidate(read, rangeTest(leaf.op, leaf.value));
    case 'startswith': {
      const prefix = leaf.value;
      return anyCandidate(read, (v) => typeof v === 'string' && v.startsWith(prefix));
    }
    case 'endswith': {
      const suffix = leaf.value;
      return anyCandidate(read, (v) => typeof v === 'string' && v.endsWith(suffix));
    }
    case 'matches': {
      const match = compileRegexMatcher(leaf.pattern, leaf.flags);
      return anyCandidate(read, (v) => typeof v === 'string' && match(v));
    }
    case 'contains':
      return containsTest(read, leaf.value);
    case 'type':
      return typeTest(read, leaf.type);
  }
}

/** True when the value, or (for an array) one of its elements, passes the test. */
function anyCandidate(read: PathReader, test: Test): (doc: unknown) => boolean {
  return (doc) => {
    const value = read(doc);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (test(value[i])) return true;
      return false;
    }
    return test(value);
  };
}

function equalsScalar(expected: Exclude<Scalar, null>): Test {
  // Strict equality is the whole rule: numbers compare numerically, never across types.
  return (v) => v === expected;
}

function equalsNull(read: PathReader): (doc: unknown) => boolean {
  return (doc) => {
    const value = read(doc);
    if (value === undefined || value === null) return true;
    return Array.isArray(value) && value.includes(null);
  };
}

function membership(read: PathReader, values: readonly Scalar[]): (doc: unknown) => boolean {
  if (values.length === 0) return () => false;
  if (values.length === 1) {
    const only = values[0]!;
    return only === null ? equalsNull(read) : anyCandidate(read, equalsScalar(only));
  }
  const set = new Set<unknown>(values);
  const test: Test = (v) => set.has(v);
  const candidates = anyCandidate(read, test);
  if (!set.has(null)) return candidates;
  return (doc) => read(doc) === undefined || candidates(doc);
}

function rangeTest(op: 'lt' | 'lte' | 'gt' | 'gte', bound: string | number): Test {
  if (typeof bound === 'number') {
    switch (op) {
      case 'lt':
        return (v) => typeof v === 'number' && v < bound;
      case 'lte':
        return (v) => typeof v === 'number' && v <= bound;
      case 'gt':
        return (v) => typeof v === 'number' && v > bound;
      case 'gte':
        return (v) => typeof v === 'number' && v >= bound;
    }
  }
  switch (op) {
    case 'lt':
      return (v) => typeof v === 'string' && compareCodePoints(v, bound) < 0;
    case 'lte':
      return (v) => typeof v === 'string' && compareCodePoints(v, bound) <= 0;
    case 'gt':
      return (v) => typeof v === 'string' && compareCodePoints(v, bound) > 0;
    case 'gte':
      return (v) => typeof v === 'string' && compareCodePoints(v, bound) >= 0;
  }
}

function containsTest(read: PathReader, expected: Scalar): (doc: unknown) => boolean {
  if (typeof expected === 'string') {
    return (doc) => {
      const value = read(doc);
      if (typeof value === 'string') return value.includes(expected);
      return Array.isArray(value) && value.includes(expected);
    };
  }
  return (doc) => {
    const value = read(doc);
    return Array.isArray(value) && value.includes(expected);
  };
}

function typeTest(read: PathReader, type: string): (doc: unknown) => boolean {
  switch (type) {
    case 'array':
      return (doc) => Array.isArray(read(doc));
    case 'null':
      return anyCandidate(read, (v) => v === null);
    case 'object':
      return anyCandidate(read, (v) => typeof v === 'object' && v !== null && !Array.isArray(v));
    default:
      return anyCandidate(read, (v) => typeof v === type);
  }
}
