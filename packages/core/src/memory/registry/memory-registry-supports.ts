import type { RegistrySupports } from '../../slots/registry-slot.js';

/** Everything but backend indexes (there is no backend: every read is a scan of memory). */
export const MEMORY_REGISTRY_SUPPORTS: RegistrySupports = Object.freeze({
  filter: 'exact',
  ttl: 'sweep',
  clock: 'caller',
  sort: true,
  count: true,
  watch: true,
  quota: true,
  indexes: false,
});
