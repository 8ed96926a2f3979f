/** A MongoDB query document, as passed to `find`. */
export type MongoQuery = Record<string, unknown>;

// Fresh objects every time: the caller owns the query and may hand it to code that mutates it.

/** Matches every document. */
export function matchAll(): MongoQuery {
  return {};
}

/** Matches no document: `$nor` of the query that matches everything. */
export function matchNone(): MongoQuery {
  return { $nor: [{}] };
}

/**
 * Conjunction. Always an explicit `$and` array, never keys merged into one object: two parts on
 * the same field would otherwise collide (one key would silently replace the other).
 */
export function allOf(parts: readonly MongoQuery[]): MongoQuery {
  if (parts.length === 0) return matchAll();
  if (parts.length === 1) return parts[0]!;
  return { $and: [...parts] };
}

/** Disjunction, as an explicit `$or` array. */
export function anyOf(parts: readonly MongoQuery[]): MongoQuery {
  if (parts.length === 0) return matchNone();
  if (parts.length === 1) return parts[0]!;
  return { $or: [...parts] };
}

/**
 * Two-valued negation. MongoDB has no top-level `$not`; `$nor: [q]` matches exactly the documents
 * `q` does not match (unlike `$ne`/`$not` on a field, it adds no "or missing" of its own).
 */
export function negate(part: MongoQuery): MongoQuery {
  return { $nor: [part] };
}
