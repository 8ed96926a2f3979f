import type { LeafNode, Scalar, ValueType } from '../../ast/filter-node.js';
import { pcreLiteral, toPcreRegex } from '../../regex/to-pcre-regex.js';
import { checkLeaf } from '../../validate/check-leaf.js';
import { allOf, anyOf, type MongoQuery, matchNone, negate } from './mongo-query.js';
import { objectPathGuard } from './object-path-guard.js';

/** MongoDB's `$type` alias for each of our types (`bool`, not `boolean`; `number` = any numeric). */
const TYPE_ALIAS: Readonly<Record<ValueType, string>> = {
  string: 'string',
  number: 'number',
  boolean: 'bool',
  null: 'null',
  array: 'array',
  object: 'object',
};

/**
 * One leaf as a MongoDB query with exactly our semantics, for metadata stored under `field`.
 *
 * Under the path guard (see objectPathGuard) the target resolves to one value v or is missing,
 * and MongoDB applies a field operator to v as "v itself, or, when v is an array, any element"
 * (one level: an element that is an array is compared as a whole and equals no scalar). That is
 * our candidate rule, so most leaves are `guard AND {target: op}`. Leaves that match a missing
 * path (`== null`, `in` with null) are `NOT guard OR {target: op}` instead: a path the guard
 * rejects is missing for us.
 *
 * Every operand is a scalar under an explicit operator (`$eq`, `$in`, ...), never a bare value, and
 * every regex is built from an escaped literal or from toPcreRegex, so user text is never syntax.
 * String equality and order assume the collection's simple (binary) collation: UTF-8 byte order is
 * code point order, exactly ours.
 */
export function compileMongoLeaf(leaf: LeafNode, field: string): MongoQuery {
  checkLeaf(leaf);
  const target = `${field}.${leaf.path.join('.')}`;
  const guard = objectPathGuard(field, leaf.path);
  /** The leaf holds when the path resolves and the operator matches the value. */
  const resolvedAnd = (...conditions: MongoQuery[]): MongoQuery => allOf([...guard, ...conditions]);
  /** The leaf holds when the path is missing for us, or the operator (which matches missing) does. */
  const missingOr = (...conditions: MongoQuery[]): MongoQuery =>
    guard.length === 0 ? anyOf(conditions) : anyOf([negate(allOf(guard)), ...conditions]);
  const on = (condition: Record<string, unknown>): MongoQuery => ({ [target]: condition });

  switch (leaf.kind) {
    case 'exists':
      // `$exists: true` also matches an explicit null, as our `exists` does.
      return resolvedAnd(on({ $exists: true }));
    case 'eq':
      // `$eq: null` matches null, a missing field and an array with a null element (not `[[null]]`).
      return leaf.value === null
        ? missingOr(on({ $eq: null }))
        : resolvedAnd(on({ $eq: leaf.value }));
    case 'in':
      return compileIn(leaf.values, on, resolvedAnd, missingOr);
    case 'range':
      // Comparison operators are type-bracketed: a number bound only meets numbers, a string bound
      // only strings; null, booleans, objects and arrays as elements never compare.
      return resolvedAnd(on({ [`$${leaf.op}`]: leaf.value }));
    case 'startswith':
      // `^` without the multiline option is the start of the subject only.
      return resolvedAnd(on({ $regex: `^${pcreLiteral(leaf.value)}` }));
    case 'endswith':
      // `\z`, not `$`: PCRE's `$` also matches before a final newline.
      return resolvedAnd(on({ $regex: `${pcreLiteral(leaf.value)}\\z` }));
    case 'matches':
      // toPcreRegex writes ASCII-only `i` into the pattern itself, so no `$options`.
      return resolvedAnd(on({ $regex: toPcreRegex(leaf.pattern, leaf.flags) }));
    case 'contains':
      return resolvedAnd(compileContains(leaf.value, on));
    case 'type':
      // `$type: "array"` matches when v itself is an array (also `[]`; with the guard there is no
      // outer array to fan out of). Other types match v or an element, as our `is` does.
      return resolvedAnd(on({ $type: TYPE_ALIAS[leaf.type] }));
  }
}

type On = (condition: Record<string, unknown>) => MongoQuery;
type Combine = (...conditions: MongoQuery[]) => MongoQuery;

/**
 * `contains x`: an array with an element equal to x, or a string containing x as a substring.
 * `$elemMatch` requires v to be an array and tests each element on its own (an element that is an
 * array equals no scalar; `$eq: null` matches a null element). The substring test must not reach
 * array elements (for an array, contains means element equality), hence "not an array" next to the
 * unanchored `$regex`, which only ever matches strings.
 */
function compileContains(value: Scalar, on: On): MongoQuery {
  const element = on({ $elemMatch: { $eq: value } });
  if (typeof value !== 'string') return element;
  return anyOf([
    element,
    allOf([on({ $not: { $type: 'array' } }), on({ $regex: pcreLiteral(value) })]),
  ]);
}

/**
 * `in [..]`: the OR of `==` over the list. `$in` has the candidate rule of `$eq` per value; null is
 * kept out of it and handled as `== null`, so the missing-path case stays explicit.
 */
function compileIn(
  values: readonly Scalar[],
  on: On,
  resolvedAnd: Combine,
  missingOr: Combine,
): MongoQuery {
  const others = [...new Set(values.filter((value) => value !== null))];
  const some = on({ $in: others });
  if (values.includes(null)) {
    return others.length === 0 ? missingOr(on({ $eq: null })) : missingOr(on({ $eq: null }), some);
  }
  return others.length === 0 ? matchNone() : resolvedAnd(some);
}
