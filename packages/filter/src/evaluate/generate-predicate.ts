import type { FilterNode, LeafNode, Path, Scalar } from '../ast/filter-node.js';
import { compileRegexMatcher } from '../regex/compile-regex-matcher.js';
import { compareCodePoints } from './compare-code-points.js';
import type { Predicate } from './predicate.js';

/** What generated code may call: passed in as an argument, never named by user input. */
interface Runtime {
  readonly compare: (a: string, b: string) => number;
  readonly matchers: ((input: string) => boolean)[];
  readonly sets: Set<unknown>[];
}

const RANGE_OPERATORS = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;
// Short lists compare inline; longer ones use a Set.
const INLINE_IN_ITEMS = 8;

/**
 * Compiles an AST into one generated JavaScript function: every leaf is a small function with
 * its path keys and operands as literals, so V8 sees named property loads and constant
 * comparisons. Only fixed templates, JSON.stringify'd literals and numeric indexes are emitted;
 * nothing from the filter becomes an identifier or code. Throws if code generation is disallowed.
 */
export function generatePredicate(node: FilterNode): Predicate {
  const runtime: Runtime = { compare: compareCodePoints, matchers: [], sets: [] };
  const leaves: string[] = [];
  const body = emitNode(node, leaves, runtime);
  const source = `"use strict";\nvar isArray = Array.isArray, hasOwn = Object.hasOwn, compare = rt.compare;\n${leaves.join('\n')}\nreturn function matches(d) { return ${body}; };`;
  return new Function('rt', source)(runtime) as Predicate;
}

function emitNode(node: FilterNode, leaves: string[], runtime: Runtime): string {
  switch (node.kind) {
    case 'all':
      return 'true';
    case 'not':
      return `!(${emitNode(node.child, leaves, runtime)})`;
    case 'and':
      return `(${node.children.map((child) => emitNode(child, leaves, runtime)).join(' && ')})`;
    case 'or':
      return `(${node.children.map((child) => emitNode(child, leaves, runtime)).join(' || ')})`;
    default: {
      const name = `leaf${leaves.length}`;
      leaves.push(`function ${name}(d) {\n${emitRead(node.path)}\n${emitTest(node, runtime)}\n}`);
      return `${name}(d)`;
    }
  }
}

/** Statements that leave the value at `path` in `v` (undefined when missing). */
function emitRead(path: Path): string {
  const lines = [`var v = ${emitGet('d', path[0]!)};`];
  for (const key of path.slice(1)) {
    lines.push(
      `v = typeof v === "object" && v !== null && !isArray(v) ? ${emitGet('v', key)} : undefined;`,
    );
  }
  return lines.join('\n');
}

function emitGet(object: string, key: string): string {
  const literal = JSON.stringify(key);
  // Inherited names (constructor, __proto__, toString...) must be own properties to count.
  return key in Object.prototype
    ? `(hasOwn(${object}, ${literal}) ? ${object}[${literal}] : undefined)`
    : `${object}[${literal}]`;
}

/** Statements returning the leaf's answer for the value in `v`. */
function emitTest(leaf: LeafNode, runtime: Runtime): string {
  switch (leaf.kind) {
    case 'exists':
      return 'return v !== undefined;';
    case 'eq':
      return leaf.value === null
        ? 'return v === undefined || v === null || (isArray(v) && v.includes(null));'
        : `return v === ${literal(leaf.value)} || (isArray(v) && v.includes(${literal(leaf.value)}));`;
    case 'in':
      return emitIn(leaf.values, runtime);
    case 'range': {
      const op = RANGE_OPERATORS[leaf.op];
      const bound = literal(leaf.value);
      return typeof leaf.value === 'number'
        ? anyCandidate(`typeof x === "number" && x ${op} ${bound}`)
        : anyCandidate(`typeof x === "string" && compare(x, ${bound}) ${op} 0`);
    }
    case 'startswith':
      return anyCandidate(`typeof x === "string" && x.startsWith(${literal(leaf.value)})`);
    case 'endswith':
      return anyCandidate(`typeof x === "string" && x.endsWith(${literal(leaf.value)})`);
    case 'matches': {
      const index = runtime.matchers.push(compileRegexMatcher(leaf.pattern, leaf.flags)) - 1;
      return `var match = rt.matchers[${index}];\n${anyCandidate('typeof x === "string" && match(x)')}`;
    }
    case 'contains':
      return typeof leaf.value === 'string'
        ? `return typeof v === "string" ? v.includes(${literal(leaf.value)}) : isArray(v) && v.includes(${literal(leaf.value)});`
        : `return isArray(v) && v.includes(${literal(leaf.value)});`;
    case 'type':
      switch (leaf.type) {
        case 'array':
          return 'return isArray(v);';
        case 'null':
          return 'return v === null || (isArray(v) && v.includes(null));';
        case 'object':
          return anyCandidate('typeof x === "object" && x !== null && !isArray(x)');
        default:
          return anyCandidate(`typeof x === ${literal(leaf.type)}`);
      }
  }
}

/** The value itself, or for an array each element, bound to `x`, passes the condition. */
function anyCandidate(condition: string): string {
  return [
    'if (isArray(v)) {',
    `  for (var i = 0; i < v.length; i++) { var x = v[i]; if (${condition}) return true; }`,
    '  return false;',
    '}',
    `var x = v; return ${condition};`,
  ].join('\n');
}

function emitIn(values: readonly Scalar[], runtime: Runtime): string {
  if (values.length === 0) return 'return false;';
  const hasNull = values.includes(null);
  const missing = hasNull ? 'if (v === undefined) return true;\n' : '';
  if (values.length <= INLINE_IN_ITEMS) {
    const condition = values.map((value) => `x === ${literal(value)}`).join(' || ');
    return missing + anyCandidate(condition);
  }
  const index = runtime.sets.push(new Set(values)) - 1;
  return `${missing}var set = rt.sets[${index}];\n${anyCandidate('set.has(x)')}`;
}

function literal(value: Scalar): string {
  return JSON.stringify(value);
}
