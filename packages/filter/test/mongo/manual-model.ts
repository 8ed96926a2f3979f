import { compareCodePoints } from '../../src/evaluate/compare-code-points.js';
import { pcreToJsRegex } from './mingo-harness.js';

/**
 * An executable reading of the MongoDB manual's matching rules, for exactly the operators toMongo
 * emits. It is NOT evidence about MongoDB (it is this package's reading of the manual, the same
 * reading the compiler is built on); it checks that the compiler composes those rules correctly on
 * the shapes mingo cannot judge (element-wise `$type`, nested arrays, code point order). The rules:
 *
 * - A dotted path yields branches: an object step reads the key; an array step reads the element
 *   at a digit segment and also continues into every element that is an object ("Query on
 *   Embedded Documents in an Array"); anything else is missing.
 * - A field operator matches when some branch matches; on a branch value v the candidates are v and,
 *   when v is an array, its elements (one level).
 * - `$eq: null` also matches a missing branch ("Query for Null or Missing Fields"); `$exists: true`
 *   any present branch; `$type` any candidate of that type ("array": v is an array);
 *   `$elemMatch` an array with an element matching on its own; comparisons are type-bracketed,
 *   strings by code point (simple binary comparison); `$regex` only strings.
 */
export function manualMatches(
  query: Record<string, unknown>,
  document: Record<string, unknown>,
): boolean {
  return Object.entries(query).every(([key, condition]) => {
    switch (key) {
      case '$and':
        return list(condition).every((part) => manualMatches(part, document));
      case '$or':
        return list(condition).some((part) => manualMatches(part, document));
      case '$nor':
        return !list(condition).some((part) => manualMatches(part, document));
      default:
        if (key.startsWith('$')) throw new Error(`unexpected top-level ${key}`);
        return fieldMatches(
          branches(document, key.split('.')),
          condition as Record<string, unknown>,
        );
    }
  });
}

const MISSING = Symbol('missing');

function list(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new Error('$and/$or/$nor need a non-empty array');
  return value as Record<string, unknown>[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function branches(document: unknown, path: readonly string[]): unknown[] {
  let current: unknown[] = [document];
  for (const key of path) {
    const next: unknown[] = [];
    for (const value of current) {
      if (isObject(value)) next.push(Object.hasOwn(value, key) ? value[key] : MISSING);
      else if (Array.isArray(value)) {
        const before = next.length;
        if (/^\d+$/.test(key) && Number(key) < value.length) next.push(value[Number(key)]);
        for (const element of value)
          if (isObject(element)) next.push(Object.hasOwn(element, key) ? element[key] : MISSING);
        if (next.length === before) next.push(MISSING);
      } else next.push(MISSING);
    }
    current = next;
  }
  return current;
}

function candidates(value: unknown): unknown[] {
  return Array.isArray(value) ? [value, ...value] : [value];
}

function fieldMatches(found: unknown[], condition: Record<string, unknown>): boolean {
  const entries = Object.entries(condition);
  if (entries.length !== 1)
    throw new Error(`toMongo emits one operator per field condition: ${JSON.stringify(condition)}`);
  const [op, operand] = entries[0]!;
  const present = found.filter((value) => value !== MISSING);
  const anyCandidate = (test: (candidate: unknown) => boolean): boolean =>
    present.some((value) => candidates(value).some(test));
  switch (op) {
    case '$eq':
      return operand === null
        ? found.includes(MISSING) || anyCandidate((c) => c === null)
        : anyCandidate((c) => c === operand);
    case '$in':
      return (operand as unknown[]).some((item) => fieldMatches(found, { $eq: item }));
    case '$lt':
    case '$lte':
    case '$gt':
    case '$gte':
      return anyCandidate(
        (c) =>
          typeof c === typeof operand &&
          holds(op, compare(c as string | number, operand as string | number)),
      );
    case '$regex': {
      const regex = pcreToJsRegex(operand as string);
      return anyCandidate((c) => typeof c === 'string' && regex.test(c));
    }
    case '$exists':
      if (operand !== true) throw new Error('toMongo emits $exists: true only');
      return present.length > 0;
    case '$type':
      return anyCandidate((c) => typeName(c) === operand);
    case '$elemMatch': {
      const inner = Object.entries(operand as Record<string, unknown>);
      if (inner.length !== 1 || inner[0]![0] !== '$eq')
        throw new Error('toMongo emits $elemMatch: {$eq} only');
      const expected = inner[0]![1];
      return present.some(
        (value) => Array.isArray(value) && value.some((element) => element === expected),
      );
    }
    case '$not':
      return !fieldMatches(found, operand as Record<string, unknown>);
    default:
      throw new Error(`unexpected operator ${op}`);
  }
}

function compare(a: string | number, b: string | number): number {
  return typeof a === 'string' ? compareCodePoints(a, b as string) : a - (b as number);
}

function holds(op: string, order: number): boolean {
  return op === '$lt'
    ? order < 0
    : op === '$lte'
      ? order <= 0
      : op === '$gt'
        ? order > 0
        : order >= 0;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}
