import type { MessagingSlot } from '@muster/core';
import type { Logger } from 'pino';
import type { NamespaceSettings } from '../config/config-schema.js';
import { SlotSettings } from '../slots/slot-settings.js';
import type { NamespaceOutbox } from './namespace-outbox.js';

/**
 * The outbox of a namespace configured with `composition: { pattern: outbox }`, or undefined
 * without one. It lives in the PostgreSQL registry's database and schema (the outbox resolves
 * its targets from the registry's table in the multicast's own statement); its tables are
 * created here, so an unreachable database fails the start rather than the first multicast.
 * The relay publishes to `messaging`, the namespace's messaging slot; it runs once started.
 */
export async function openNamespaceOutbox(
  settings: NamespaceSettings,
  messaging: MessagingSlot,
  logger: Logger,
): Promise<NamespaceOutbox | undefined> {
  const composition = settings.composition;
  if (composition === undefined) return undefined;
  const namespace = settings.name;
  // Imported when configured, like the slot adapters: deployments without pg run the rest.
  const { createOutboxRelay, createPostgresOutbox, migrateOutbox } = await import(
    '@muster/postgres'
  );
  const registry = new SlotSettings(
    settings.backend_slots?.registry ?? {},
    `namespaces.${namespace}.backend_slots.registry`,
  );
  const url = registry.string('connection', 'url');
  const schema = registry.string('schema');
  const poolSize = registry.number('pool_size');
  const table = composition.outbox_table;
  const outbox = createPostgresOutbox({
    ...(url === undefined ? {} : { url }),
    ...(schema === undefined ? {} : { schema }),
    ...(poolSize === undefined ? {} : { poolSize }),
    table,
    migrate: false,
    applicationName: `muster-server:${namespace}:outbox`,
  });
  try {
    await migrateOutbox({ pool: outbox.pool, ...(schema === undefined ? {} : { schema }), table });
  } catch (error) {
    await outbox.close();
    throw error;
  }
  const relay = composition.relay
    ? createOutboxRelay({
        outbox,
        messaging,
        pollIntervalMs: composition.poll_interval,
        ...(composition.batch_size === undefined ? {} : { batchSize: composition.batch_size }),
        // The relay keeps polling; the failed batch stays pending and is published again.
        onError: (error) => logger.warn({ err: error, namespace }, 'outbox relay: batch failed'),
      })
    : undefined;
  logger.info(
    { namespace, ...outbox.location, relay: relay !== undefined },
    'namespace outbox ready',
  );
  return {
    namespace,
    outbox,
    relay,
    start: () => relay?.start(),
    close: async () => {
      try {
        await relay?.stop();
      } finally {
        await outbox.close();
      }
    },
  };
}
