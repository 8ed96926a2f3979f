import type { DurabilitySlot, MessagingSlot, RegistrySlot } from '@muster/core';
import type { SlotFactory, SlotFactoryContext } from './slot-factories.js';
import { SlotSettings } from './slot-settings.js';

// Each factory imports its adapter when first used: a deployment without (say) kafkajs runs
// every other backend, and fails only a namespace configured with Kafka, at start, saying why.

function settingsOf(context: SlotFactoryContext, slot: string): SlotSettings {
  return new SlotSettings(
    context.settings,
    `namespaces.${context.namespace}.backend_slots.${slot}`,
  );
}

/** `url`, else RFC-017's `host` + `port`, else the adapter's default (REDIS_URL, loopback). */
export const redisRegistry: SlotFactory<RegistrySlot> = async (context) => {
  const { createRedisRegistry } = await import('@muster/redis');
  const settings = settingsOf(context, 'registry');
  const host = settings.string('host');
  const url =
    settings.string('url', 'connection') ??
    (host === undefined
      ? undefined
      : `redis://${host}:${settings.number('port') ?? 6379}/${settings.number('db') ?? 0}`);
  const keyPrefix = settings.string('key_prefix');
  return createRedisRegistry({
    ...(url === undefined ? {} : { url }),
    ...(keyPrefix === undefined ? {} : { keyPrefix }),
    connectionName: `muster-server:${context.namespace}`,
  });
};

/** `connection` (RFC-017) or `url`, `schema`, `pool_size`. */
export const postgresRegistry: SlotFactory<RegistrySlot> = async (context) => {
  const { createPostgresRegistry } = await import('@muster/postgres');
  const settings = settingsOf(context, 'registry');
  const url = settings.string('connection', 'url');
  const schema = settings.string('schema');
  const poolSize = settings.number('pool_size');
  return createPostgresRegistry({
    ...(url === undefined ? {} : { url }),
    ...(schema === undefined ? {} : { schema }),
    ...(poolSize === undefined ? {} : { poolSize }),
    applicationName: `muster-server:${context.namespace}`,
  });
};

/** `url` (or `connection`), `database`, `collection_prefix`. */
export const mongodbRegistry: SlotFactory<RegistrySlot> = async (context) => {
  const { createMongoRegistry } = await import('@muster/mongodb');
  const settings = settingsOf(context, 'registry');
  const url = settings.string('url', 'connection');
  const database = settings.string('database');
  const collectionPrefix = settings.string('collection_prefix');
  return createMongoRegistry({
    ...(url === undefined ? {} : { url }),
    ...(database === undefined ? {} : { database }),
    ...(collectionPrefix === undefined ? {} : { collectionPrefix }),
  });
};

function natsOptions(context: SlotFactoryContext, slot: string) {
  const settings = settingsOf(context, slot);
  const servers = settings.strings('servers', 'url');
  const subjectPrefix = settings.string('subject_prefix');
  return {
    ...(servers === undefined ? {} : { servers }),
    ...(subjectPrefix === undefined ? {} : { subjectPrefix }),
    connectOptions: { name: `muster-server:${context.namespace}` },
  };
}

/** `servers` (RFC-017) or `url`, `subject_prefix`. */
export const natsMessaging: SlotFactory<MessagingSlot> = async (context) => {
  const { createNatsMessaging } = await import('@muster/nats');
  return createNatsMessaging(natsOptions(context, 'messaging'));
};

/** JetStream queues: the NATS settings plus `retention` (a duration: the queues' max age). */
export const natsDurability: SlotFactory<DurabilitySlot> = async (context) => {
  const { createJetStreamDurability } = await import('@muster/nats');
  const maxAgeMs = settingsOf(context, 'durability').durationMs('retention');
  return createJetStreamDurability({
    ...natsOptions(context, 'durability'),
    ...(maxAgeMs === undefined ? {} : { retention: { maxAgeMs } }),
  });
};

function kafkaOptions(context: SlotFactoryContext, slot: string) {
  const settings = settingsOf(context, slot);
  const brokers = settings.strings('brokers');
  // RFC-017 writes `topic_prefix: "iot.commands."`; the adapter joins its own separator.
  const topicPrefix = settings.string('topic_prefix')?.replace(/[._-]+$/, '');
  const partitions = settings.number('partitions');
  const replicationFactor = settings.number('replication_factor');
  return {
    ...(brokers === undefined ? {} : { brokers }),
    ...(topicPrefix === undefined || topicPrefix === '' ? {} : { topicPrefix }),
    ...(partitions === undefined ? {} : { partitions }),
    ...(replicationFactor === undefined ? {} : { replicationFactor }),
    clientId: `muster-server-${context.namespace}`,
  };
}

/** `brokers`, `topic_prefix`, `partitions`, `replication_factor`, `retention` (message topics). */
export const kafkaMessaging: SlotFactory<MessagingSlot> = async (context) => {
  const { createKafkaMessaging } = await import('@muster/kafka');
  const messageRetentionMs = settingsOf(context, 'messaging').durationMs('retention');
  return createKafkaMessaging({
    ...kafkaOptions(context, 'messaging'),
    ...(messageRetentionMs === undefined ? {} : { messageRetentionMs }),
  });
};

/** The Kafka settings plus `retention` (a duration: the queues' max age). */
export const kafkaDurability: SlotFactory<DurabilitySlot> = async (context) => {
  const { createKafkaDurability } = await import('@muster/kafka');
  const maxAgeMs = settingsOf(context, 'durability').durationMs('retention');
  return createKafkaDurability({
    ...kafkaOptions(context, 'durability'),
    ...(maxAgeMs === undefined ? {} : { retention: { maxAgeMs } }),
  });
};
