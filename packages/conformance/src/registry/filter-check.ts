import type { RegistrySlot, RegistrySupports } from '@muster/core';
import { compile, type FilterNode } from '@muster/filter';
import { identities, query, walkEnumerate } from '../support/walk-enumerate.js';

/**
 * Runs one filter through the adapter's enumerate and compares with the reference evaluator:
 * returns a description of the difference, or undefined when the adapter is right. A page that
 * says `exact: false` may hold extra identities (the caller refines them with `compile`), but
 * never miss one; an adapter declaring `filter: 'exact'` must say exact.
 */
export async function checkFilter(
  slot: RegistrySlot,
  supports: RegistrySupports,
  namespace: string,
  documents: ReadonlyMap<string, Readonly<Record<string, unknown>>>,
  filter: FilterNode,
  now: number,
): Promise<string | undefined> {
  const matches = compile(filter);
  const expected = [...documents.keys()].filter((id) => matches(documents.get(id)!)).sort();
  const walk = await walkEnumerate(
    slot,
    namespace,
    query({ filter, limit: 100, includeMetadata: false }),
    now,
  );
  const returned = identities(walk.records);
  if (supports.filter === 'exact' && !walk.exact)
    return 'a page said exact: false under filter: "exact"';
  const got = walk.exact
    ? returned
    : returned.filter((id) => documents.has(id) && matches(documents.get(id)!));
  const gotSorted = [...got].sort();
  const missing = expected.filter((id) => !gotSorted.includes(id));
  const extra = gotSorted.filter((id) => !expected.includes(id));
  if (missing.length === 0 && extra.length === 0 && got.length === expected.length)
    return undefined;
  return `missing ${JSON.stringify(missing)}, unexpected ${JSON.stringify(extra)}${got.length !== new Set(got).size ? ', duplicates' : ''}`;
}
