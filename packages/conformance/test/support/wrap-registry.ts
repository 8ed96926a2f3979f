import type { RegistrySlot } from '@muster/core';

/** A registry that forwards every call to `inner` except those in `overrides` (keeps optional methods optional). */
export function wrapRegistry(inner: RegistrySlot, overrides: Partial<RegistrySlot>): RegistrySlot {
  const slot: RegistrySlot = {
    supports: inner.supports,
    put: (...args) => inner.put(...args),
    get: (...args) => inner.get(...args),
    touch: (...args) => inner.touch(...args),
    touchMany: (...args) => inner.touchMany(...args),
    delete: (...args) => inner.delete(...args),
    enumerate: (...args) => inner.enumerate(...args),
    count: (...args) => inner.count(...args),
    sweep: (...args) => inner.sweep(...args),
    namespaces: () => inner.namespaces(),
    close: () => inner.close(),
    ...(inner.watch === undefined ? {} : { watch: inner.watch.bind(inner) }),
    ...(inner.ensureIndexes === undefined
      ? {}
      : { ensureIndexes: inner.ensureIndexes.bind(inner) }),
  };
  return { ...slot, ...overrides };
}
