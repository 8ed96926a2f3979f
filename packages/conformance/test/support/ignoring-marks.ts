import { createMemoryDurability, type DurabilitySlot } from '@muster/core';

/**
 * Broken on purpose: the in-memory durability slot with reports, whose markDelivered records
 * nothing (it still rejects when closed): acked targets stay QUEUED.
 */
export function ignoringMarks(inner: DurabilitySlot = createMemoryDurability()): DurabilitySlot {
  return {
    supports: inner.supports,
    enqueue: (...args) => inner.enqueue(...args),
    read: (...args) => inner.read(...args),
    ack: (...args) => inner.ack(...args),
    purge: (...args) => inner.purge(...args),
    trim: (...args) => inner.trim(...args),
    onAvailable: (...args) => inner.onAvailable!(...args),
    saveReport: (...args) => inner.saveReport!(...args),
    markDelivered: (namespace, _marks, now) => inner.markDelivered!(namespace, [], now),
    loadReport: (...args) => inner.loadReport!(...args),
    close: () => inner.close(),
  };
}
