import type { RegistrySupports } from '@muster/core';

/**
 * Everything: filters are exact (indexes and the Lua evaluator in Redis, regexes refined in
 * Node), TTL by atomic sweeps on the caller's clock, metadata sorts and counts (by chunked walks),
 * watch through a Redis Stream per namespace, atomic quota in the write script, and indexes.
 */
export const REDIS_REGISTRY_SUPPORTS: RegistrySupports = Object.freeze({
  filter: 'exact',
  ttl: 'sweep',
  clock: 'caller',
  sort: true,
  count: true,
  watch: true,
  quota: true,
  indexes: true,
});
