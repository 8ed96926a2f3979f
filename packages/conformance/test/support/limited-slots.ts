import {
  createMemoryDurability,
  createMemoryMessaging,
  createMemoryRegistry,
  type DurabilitySlot,
  type MessagingSlot,
  MusterError,
  type RegistrySlot,
} from '@muster/core';
import { nodes } from '@muster/filter';
import { wrapRegistry } from './wrap-registry.js';

/**
 * A weak but honest registry: no native filter (pages are the whole namespace, `exact: false`),
 * no metadata sort, no count, no watch, no atomic quota, and it says its clock is the server's.
 * It must pass the kit through the suites of documented absence.
 */
export function limitedRegistry(): RegistrySlot {
  const inner = createMemoryRegistry();
  const {
    watch: _watch,
    ensureIndexes: _ensureIndexes,
    ...slot
  } = wrapRegistry(inner, {
    supports: Object.freeze({
      ...inner.supports,
      filter: 'none' as const,
      clock: 'server' as const,
      sort: false,
      count: false,
      watch: false,
      quota: false,
      indexes: false,
    }),
    put: (namespace, record, options, now) =>
      inner.put(namespace, record, { mode: options.mode }, now),
    enumerate: async (namespace, query, now) => {
      const page = await inner.enumerate(
        namespace,
        { ...query, filter: nodes.all(), totalCount: false },
        now,
      );
      return page.nextCursor === undefined
        ? { items: page.items, exact: false }
        : { items: page.items, exact: false, nextCursor: page.nextCursor };
    },
  });
  return slot;
}

/** A fire-and-forget transport that cannot tell whether anybody listens, and has no acked mode. */
export function limitedMessaging(): MessagingSlot {
  const inner = createMemoryMessaging();
  return {
    supports: Object.freeze({
      atMostOnce: true,
      acked: false,
      presence: false,
      distributed: false,
    }),
    subscribe: (...args) => inner.subscribe(...args),
    close: () => inner.close(),
    async publish(namespace, envelopes, options) {
      if (options.mode !== 'at-most-once')
        throw new MusterError('UNSUPPORTED', 'only at-most-once');
      const results = await inner.publish(namespace, envelopes, options);
      return results.map((result) =>
        result.status === 'NO_SUBSCRIBER' ? { ...result, status: 'SENT' } : result,
      );
    },
  };
}

/** Queues without retention and without notifications (the coordinator polls). */
export function limitedDurability(): DurabilitySlot {
  const inner = createMemoryDurability({ retention: {} });
  return {
    supports: Object.freeze({ retention: false, notify: false, distributed: false }),
    enqueue: (...args) => inner.enqueue(...args),
    read: (...args) => inner.read(...args),
    ack: (...args) => inner.ack(...args),
    purge: (...args) => inner.purge(...args),
    trim: async () => {},
    close: () => inner.close(),
  };
}
