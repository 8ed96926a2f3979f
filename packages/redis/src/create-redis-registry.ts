import type { RegistrySlot } from '@muster/core';
import { RedisRegistry } from './redis-registry.js';
import type { RedisRegistryOptions } from './redis-registry-options.js';

/** A registry slot on Redis: `createRedisRegistry({ url: 'redis://127.0.0.1:6379' })`. */
export function createRedisRegistry(options: RedisRegistryOptions = {}): RegistrySlot {
  return new RedisRegistry(options);
}
