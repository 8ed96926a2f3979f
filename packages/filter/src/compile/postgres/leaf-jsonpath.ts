import type { LeafNode, RangeOperator, Scalar, ValueType } from '../../ast/filter-node.js';
import { postgresLiteral, toPostgresRegex } from '../../regex/to-postgres-regex.js';
import { checkLeaf } from '../../validate/check-leaf.js';
import { jsonpathAccessor, jsonpathLiteral } from './jsonpath-literal.js';

/** One leaf as a jsonpath for `column @? path`, and whether a GIN jsonb_path_ops index serves it. */
export interface LeafJsonpath {
  /** `strict $ ? (...)`: a filter on the root, so `@?` is true or false, never null. */
  readonly jsonpath: string;
  /** True when the predicate is an OR of `accessor == constant` terms the index extracts. */
  readonly indexed: boolean;
}

/** A predicate on one operand (`@."a"` for the value, `@` for an array element). */
type Test = (operand: string) => string;

const RANGE_SYMBOLS: Readonly<Record<RangeOperator, string>> = {
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
};

/**
 * Compiles one leaf to a strict-mode jsonpath, or to `false` when it can never match.
 *
 * Why strict mode inside a root filter: lax mode unwraps arrays at every accessor (so `$.a.b`
 * would walk into arrays and `$.a ? (@ == 1)` would reach nested arrays). In strict mode an
 * accessor on a missing key or a non-object is an error, which inside a filter becomes
 * "unknown" and simply fails the filter; unknown never escapes, so each leaf is two-valued and
 * SQL can negate it. Array candidates are tested element by element in a nested filter, because
 * a strict comparison over a sequence is unknown as soon as one pair has mismatched types.
 */
export function leafJsonpath(leaf: LeafNode): LeafJsonpath | false {
  checkLeaf(leaf);
  const value = jsonpathAccessor(leaf.path);
  switch (leaf.kind) {
    case 'exists':
      return root(`exists(${value})`, false);
    case 'eq':
      return membership(value, [leaf.value]);
    case 'in':
      return membership(value, leaf.values);
    case 'range': {
      const bound = jsonpathLiteral(leaf.value);
      const symbol = RANGE_SYMBOLS[leaf.op];
      return root(
        anyCandidate(value, (o) => `${o} ${symbol} ${bound}`),
        false,
      );
    }
    case 'startswith': {
      const prefix = jsonpathLiteral(leaf.value);
      return root(
        anyCandidate(value, (o) => `${o} starts with ${prefix}`),
        false,
      );
    }
    case 'endswith':
      return root(anyCandidate(value, likeRegex(`${postgresLiteral(leaf.value)}$`)), false);
    case 'matches':
      return root(anyCandidate(value, likeRegex(toPostgresRegex(leaf.pattern, leaf.flags))), false);
    case 'contains':
      return contains(value, leaf.value);
    case 'type':
      return typeIs(value, leaf.type);
  }
}

function root(predicate: string, indexed: boolean): LeafJsonpath {
  return { jsonpath: `strict $ ? (${predicate})`, indexed };
}

/** The value itself passes, or (when it is an array) one of its elements does. */
function anyCandidate(value: string, test: Test): string {
  // For an array value the first test is false or unknown (arrays compare with nothing, are no
  // strings, have type "array"); for a non-array `[*]` is an error, so the second is unknown.
  return `${test(value)} || exists(${value}[*] ? (${test('@')}))`;
}

/** `==` and `in`: an OR of equalities, plus "missing" when null is among the values. */
function membership(value: string, values: readonly Scalar[]): LeafJsonpath | false {
  if (values.length === 0) return false;
  const literals = [...new Set(values.map(jsonpathLiteral))];
  const test: Test = (o) => literals.map((literal) => `${o} == ${literal}`).join(' || ');
  const candidates = anyCandidate(value, test);
  if (!values.includes(null)) return root(candidates, true);
  // exists() is unknown only when the strict accessor fails, i.e. when the path is missing.
  return root(`(exists(${value})) is unknown || ${candidates}`, false);
}

function contains(value: string, expected: Scalar): LeafJsonpath {
  const element = `exists(${value}[*] ? (@ == ${jsonpathLiteral(expected)}))`;
  if (typeof expected !== 'string') return root(element, true);
  // A substring test has no index entry, so a string operand cannot be index-served.
  return root(`${element} || ${likeRegex(postgresLiteral(expected))(value)}`, false);
}

function typeIs(value: string, type: ValueType): LeafJsonpath {
  switch (type) {
    case 'array':
      return root(`${value}.type() == "array"`, false);
    // Equality with constants is index-served where .type() is not.
    case 'null':
      return root(
        anyCandidate(value, (o) => `${o} == null`),
        true,
      );
    case 'boolean':
      return root(
        anyCandidate(value, (o) => `${o} == true || ${o} == false`),
        true,
      );
    default:
      return root(
        anyCandidate(value, (o) => `${o}.type() == ${JSON.stringify(type)}`),
        false,
      );
  }
}

/** `like_regex` takes no variables: the pattern is a string literal inside the bound jsonpath. */
function likeRegex(pattern: string): Test {
  const literal = JSON.stringify(pattern);
  return (o) => `${o} like_regex ${literal}`;
}
