export { createRedisRegistry } from './create-redis-registry.js';
export type { FilterPlan } from './filter-plan.js';
export { type NamespaceKeys, namespaceKeys, namespacesKey } from './namespace-keys.js';
export { RedisRegistry } from './redis-registry.js';
export type { RedisRegistryOptions } from './redis-registry-options.js';
export { REDIS_REGISTRY_SUPPORTS } from './redis-registry-supports.js';
