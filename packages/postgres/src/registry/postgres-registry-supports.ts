import type { RegistrySupports } from '@muster/core';

/** Everything: filters, sorts and counts run in SQL; change events come over LISTEN/NOTIFY. */
export const POSTGRES_REGISTRY_SUPPORTS: RegistrySupports = Object.freeze({
  filter: 'exact',
  ttl: 'sweep',
  clock: 'caller',
  sort: true,
  count: true,
  watch: true,
  quota: true,
  indexes: true,
});
