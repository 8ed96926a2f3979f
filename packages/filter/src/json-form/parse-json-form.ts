import type { FilterNode, Path, Scalar, ValueType } from '../ast/filter-node.js';
import { VALUE_TYPES } from '../ast/filter-node.js';
import { nodes } from '../ast/nodes.js';
import { FilterError, invalidFilter } from '../errors/filter-error.js';
import { parseRegex } from '../regex/parse-regex.js';
import { keyProblem, stringProblem } from '../validate/key-rules.js';
import { isJsonOperator, type JsonOperator } from './json-operators.js';

type Trail = readonly (string | number)[];

/**
 * Parses the JSON form (RFC-017 style) into the same AST as the string syntax.
 *
 * Compatibility rules from RFC-017's examples:
 * - `{"path": "*"}` means `path exists` (write `{"path.eq": "*"}` for the literal string).
 * - `{"metadata.exists": "location"}` means `location exists`: a string operand of `exists` names
 *   a path below the key's path, and the prefix `metadata` stands for the metadata root.
 */
export function parseJsonForm(input: unknown): FilterNode {
  if (!isPlainObject(input)) {
    throw fail([], `a JSON-form filter is an object, not ${describe(input)}`);
  }
  if (Object.keys(input).length === 0) return nodes.all();
  return parseObject(input, []);
}

function parseObject(object: Record<string, unknown>, trail: Trail): FilterNode {
  const keys = Object.keys(object);
  if (keys.length === 0) {
    throw fail(trail, 'an empty object {} is only allowed as the whole filter');
  }
  return nodes.and(keys.map((key) => parseEntry(key, object[key], [...trail, key])));
}

function parseEntry(key: string, value: unknown, trail: Trail): FilterNode {
  if (key === '$and' || key === '$or') {
    if (!Array.isArray(value) || value.length === 0) {
      throw fail(trail, `${key} takes a non-empty array of filter objects`);
    }
    const children = value.map((item, index) => {
      if (!isPlainObject(item))
        throw fail([...trail, index], `expected a filter object, found ${describe(item)}`);
      return parseObject(item, [...trail, index]);
    });
    return key === '$and' ? nodes.and(children) : nodes.or(children);
  }
  if (key === '$not') {
    if (!isPlainObject(value))
      throw fail(trail, `$not takes a filter object, found ${describe(value)}`);
    return nodes.not(parseObject(value, trail));
  }
  if (key.startsWith('$')) {
    throw fail(trail, `unknown operator ${JSON.stringify(key)}; expected $and, $or or $not`);
  }
  const segments = key.split('.');
  const last = segments[segments.length - 1]!;
  if (segments.length > 1 && isJsonOperator(last)) {
    return parseOperator(checkPath(segments.slice(0, -1), trail), last, value, trail);
  }
  const path = checkPath(segments, trail);
  if (value === '*') return nodes.exists(path);
  return nodes.eq(path, scalar(value, 'eq', trail));
}

function parseOperator(path: Path, op: JsonOperator, value: unknown, trail: Trail): FilterNode {
  switch (op) {
    case 'eq':
      return nodes.eq(path, scalar(value, op, trail));
    case 'ne':
      return nodes.not(nodes.eq(path, scalar(value, op, trail)));
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      if (typeof value !== 'number' && typeof value !== 'string') {
        throw fail(trail, `"${op}" compares with a number or a string, not ${describe(value)}`);
      }
      return nodes.range(op, path, checkedScalar(value, trail) as string | number);
    case 'startswith':
      return nodes.startsWith(path, text(value, op, trail));
    case 'endswith':
      return nodes.endsWith(path, text(value, op, trail));
    case 'contains':
      return nodes.contains(path, scalar(value, op, trail));
    case 'regex':
      return parseRegexOperand(path, value, trail);
    case 'in':
      if (!Array.isArray(value))
        throw fail(trail, `"in" takes an array of values, not ${describe(value)}`);
      return nodes.in(
        path,
        value.map((item, index) => scalar(item, 'in', [...trail, index])),
      );
    case 'exists':
      if (typeof value === 'boolean')
        return value ? nodes.exists(path) : nodes.not(nodes.exists(path));
      if (typeof value === 'string') {
        const base = path.length === 1 && path[0] === 'metadata' ? [] : path;
        return nodes.exists(checkPath([...base, ...value.split('.')], trail));
      }
      throw fail(trail, `"exists" takes true, false or a field name, not ${describe(value)}`);
    case 'type':
      if (typeof value !== 'string' || !(VALUE_TYPES as readonly string[]).includes(value)) {
        throw fail(
          trail,
          `"type" takes one of ${VALUE_TYPES.join(', ')}, not ${JSON.stringify(value)}`,
        );
      }
      return nodes.type(path, value as ValueType);
  }
}

/** `"re"` or `{"pattern": "re", "flags": "i"}`. */
function parseRegexOperand(path: Path, value: unknown, trail: Trail): FilterNode {
  let pattern: unknown = value;
  let flags: unknown = '';
  if (isPlainObject(value)) {
    const extra = Object.keys(value).filter((key) => key !== 'pattern' && key !== 'flags');
    if (extra.length > 0) throw fail(trail, `unknown regex option ${JSON.stringify(extra[0])}`);
    pattern = value.pattern;
    flags = value.flags ?? '';
  }
  const source = text(pattern, 'regex', trail);
  if (flags !== '' && flags !== 'i') {
    throw fail(trail, `regex flags may be "" or "i", not ${JSON.stringify(flags)}`);
  }
  try {
    parseRegex(source, flags);
  } catch (error) {
    if (FilterError.is(error)) throw fail(trail, error.message);
    throw error;
  }
  return nodes.matches(path, source, flags);
}

function checkPath(segments: readonly string[], trail: Trail): Path {
  for (const segment of segments) {
    const problem = keyProblem(segment);
    if (problem) throw fail(trail, `invalid field path: ${problem}`);
  }
  return segments;
}

function scalar(value: unknown, op: string, trail: Trail): Scalar {
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return checkedScalar(value, trail);
  }
  throw fail(
    trail,
    `"${op}" takes a single value (string, number, boolean or null), not ${describe(value)}`,
  );
}

function text(value: unknown, op: string, trail: Trail): string {
  if (typeof value !== 'string')
    throw fail(trail, `"${op}" takes a string, not ${describe(value)}`);
  return checkedScalar(value, trail) as string;
}

function checkedScalar(value: Scalar, trail: Trail): Scalar {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw fail(trail, `number ${value} is not finite`);
    return value === 0 ? 0 : value;
  }
  if (typeof value === 'string') {
    const problem = stringProblem(value);
    if (problem) throw fail(trail, problem);
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function fail(trail: Trail, message: string): FilterError {
  const where = trail.length === 0 ? 'the filter' : formatTrail(trail);
  return invalidFilter(`invalid filter at ${where}: ${message}`, { path: trail });
}

function formatTrail(trail: Trail): string {
  return trail
    .map((part) => (typeof part === 'number' ? `[${part}]` : `[${JSON.stringify(part)}]`))
    .join('');
}
