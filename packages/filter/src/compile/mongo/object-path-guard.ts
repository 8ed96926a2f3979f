import type { Path } from '../../ast/filter-node.js';
import type { MongoQuery } from './mongo-query.js';

/**
 * The conditions (to be AND-ed) under which MongoDB resolves `field.k1...kn` exactly as our
 * semantics do: every intermediate value `field.k1`, `field.k1.k2`, ..., `field.k1...k(n-1)` is a
 * non-array object. Empty for a one-segment path (`field` itself always holds the metadata object).
 *
 * Why: MongoDB dotted paths descend into arrays (`{"a.b": 1}` matches `{a: [{b: 1}]}`) and read a
 * numeric segment as an array index (`"a.0"`), while our paths walk objects only, an array before
 * the last segment meaning "missing". Once every intermediate is a non-array object, no step can
 * fan out or index, a digit segment is a plain key, and the last segment yields one value (or
 * missing), to which MongoDB applies its operator exactly as our candidate rule does.
 *
 * `{p: {$not: {$type: "array"}}}` is the essential test (a scalar or null intermediate already
 * makes the MongoDB path missing, as ours). `{p: {$type: "object"}}` alone would not do, since it
 * also matches an array with an object element (`$type` tests array elements too), but next to the
 * first it makes the guard state exactly "p is a non-array object", and keeps it right even for
 * `[]` if `$type: "array"` ever failed to match an empty array. Each prefix is tested in order: if
 * `field.k1` is a non-array object then `field.k1.k2` resolves to one value without fan-out, so its
 * test is exact; by induction the AND of all of them is exact, and the first prefix that fails
 * (itself tested exactly) makes the whole AND false whatever the later, fanned-out, tests say.
 */
export function objectPathGuard(field: string, path: Path): MongoQuery[] {
  const conditions: MongoQuery[] = [];
  let prefix = field;
  for (let i = 0; i < path.length - 1; i++) {
    prefix = `${prefix}.${path[i]!}`;
    conditions.push({ [prefix]: { $type: 'object' } }, { [prefix]: { $not: { $type: 'array' } } });
  }
  return conditions;
}
