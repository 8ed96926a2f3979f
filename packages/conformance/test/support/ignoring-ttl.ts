import type { RegistrySlot } from '@muster/core';
import { wrapRegistry } from './wrap-registry.js';

/**
 * Broken on purpose: reads, heartbeats and sweeps ignore TTLs (they see `now = 0`, so nothing
 * ever looks expired); writes are left alone.
 */
export function ignoringTtl(inner: RegistrySlot): RegistrySlot {
  return wrapRegistry(inner, {
    get: (namespace, identity) => inner.get(namespace, identity, 0),
    touch: (namespace, identity, expiresAt) => inner.touch(namespace, identity, expiresAt, 0),
    touchMany: (namespace, updates) => inner.touchMany(namespace, updates, 0),
    delete: (namespace, identity) => inner.delete(namespace, identity, 0),
    enumerate: (namespace, query) => inner.enumerate(namespace, query, 0),
    count: (namespace) => inner.count(namespace, 0),
    sweep: (namespace, _now, limit) => inner.sweep(namespace, 0, limit),
  });
}
