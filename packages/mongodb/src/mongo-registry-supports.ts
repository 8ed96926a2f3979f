import type { RegistrySupports } from '@muster/core';

/**
 * What the MongoDB registry can do. Filters stay exact: `toMongo` prefilters in the server and
 * the adapter re-checks inexact compilations with `compile(ast)` before a page is cut. Quota is
 * not atomic (that would need transactions, which standalone servers and the test server lack),
 * so the coordinator's best-effort quota applies. Expiry is the caller's clock; sweeps remove
 * expired records (the optional TTL index only reaps what sweeps left long behind).
 */
export const MONGO_REGISTRY_SUPPORTS: RegistrySupports = Object.freeze({
  filter: 'exact',
  ttl: 'sweep',
  clock: 'caller',
  sort: true,
  count: true,
  watch: true,
  quota: false,
  indexes: true,
});
