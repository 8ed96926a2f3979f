import {
  DEFAULT_RETENTION,
  type DurabilitySlot,
  type MessagingSlot,
  type RegistrySlot,
  type RetentionPolicy,
} from '@muster/core';
import { checkedFactory } from './checked-factory.js';
import type { SlotFactory, SlotFactoryContext } from './slot-factories.js';
import { SlotSettings } from './slot-settings.js';

// Each factory imports its adapter when first used: a deployment without (say) kafkajs runs
// every other backend, and fails only a namespace configured with Kafka, at start, saying why.
// The settings are read before the import, so `check` needs no adapter installed.

function settingsOf(context: SlotFactoryContext, slot: string): SlotSettings {
  return new SlotSettings(
    context.settings,
    `namespaces.${context.namespace}.backend_slots.${slot}`,
  );
}

/**
 * `retention` (a duration: the queues' max age) and `max_length` (messages kept per identity);
 * the one not given keeps its default (7 days, 10,000), so bounding one never lifts the other.
 * `max_length` is at least 1: the adapters read 0 as "keep nothing", never what a config means.
 */
function retentionOf(settings: SlotSettings): RetentionPolicy | undefined {
  const maxAgeMs = settings.durationMs('retention');
  const maxLength = settings.count('max_length', 1);
  if (maxAgeMs === undefined && maxLength === undefined) return undefined;
  return {
    ...DEFAULT_RETENTION,
    ...(maxAgeMs === undefined ? {} : { maxAgeMs }),
    ...(maxLength === undefined ? {} : { maxLength }),
  };
}

/**
 * Redis settings shared by the three slots: `url` (or `connection`), else RFC-017's `host` +
 * `port` (+ `db`), else the adapter's default (REDIS_URL, loopback); `key_prefix`,
 * `command_timeout`, `connect_timeout`.
 */
function redisOptions(context: SlotFactoryContext, slot: string) {
  const settings = settingsOf(context, slot);
  const host = settings.string('host');
  const port = settings.number('port') ?? 6379;
  const db = settings.number('db') ?? 0;
  const url =
    settings.string('url', 'connection') ??
    (host === undefined ? undefined : `redis://${host}:${port}/${db}`);
  const keyPrefix = settings.string('key_prefix');
  const commandTimeoutMs = settings.durationMs('command_timeout');
  const connectTimeoutMs = settings.durationMs('connect_timeout');
  return {
    ...(url === undefined ? {} : { url }),
    ...(keyPrefix === undefined ? {} : { keyPrefix }),
    ...(commandTimeoutMs === undefined ? {} : { commandTimeoutMs }),
    ...(connectTimeoutMs === undefined ? {} : { connectTimeoutMs }),
    connectionName: `muster-server:${context.namespace}`,
  };
}

/** The Redis settings (see redisOptions). */
export const redisRegistry: SlotFactory<RegistrySlot> = checkedFactory(
  (context) => redisOptions(context, 'registry'),
  async (options) => (await import('@muster/redis')).createRedisRegistry(options),
);

/** Redis pub/sub (at-most-once and acked): the Redis settings. */
export const redisMessaging: SlotFactory<MessagingSlot> = checkedFactory(
  (context) => redisOptions(context, 'messaging'),
  async (options) => (await import('@muster/redis')).createRedisMessaging(options),
);

/** Redis Streams queues: the Redis settings plus `retention` and `max_length`. */
export const redisDurability: SlotFactory<DurabilitySlot> = checkedFactory(
  (context) => {
    const retention = retentionOf(settingsOf(context, 'durability'));
    return {
      ...redisOptions(context, 'durability'),
      ...(retention === undefined ? {} : { retention }),
    };
  },
  async (options) => (await import('@muster/redis')).createRedisDurability(options),
);

/** PostgreSQL settings: `connection` (RFC-017) or `url`, `schema`, `pool_size`. */
function postgresOptions(context: SlotFactoryContext, slot: string) {
  const settings = settingsOf(context, slot);
  const url = settings.string('connection', 'url');
  const schema = settings.string('schema');
  const poolSize = settings.number('pool_size');
  return {
    ...(url === undefined ? {} : { url }),
    ...(schema === undefined ? {} : { schema }),
    ...(poolSize === undefined ? {} : { poolSize }),
    applicationName: `muster-server:${context.namespace}`,
  };
}

/** The PostgreSQL settings (see postgresOptions). */
export const postgresRegistry: SlotFactory<RegistrySlot> = checkedFactory(
  (context) => postgresOptions(context, 'registry'),
  async (options) => (await import('@muster/postgres')).createPostgresRegistry(options),
);

/** Queues in PostgreSQL tables: the PostgreSQL settings plus `retention` and `max_length`. */
export const postgresDurability: SlotFactory<DurabilitySlot> = checkedFactory(
  (context) => {
    const retention = retentionOf(settingsOf(context, 'durability'));
    return {
      ...postgresOptions(context, 'durability'),
      ...(retention === undefined ? {} : { retention }),
    };
  },
  async (options) => (await import('@muster/postgres')).createPostgresDurability(options),
);

/** `url` (or `connection`), `database`, `collection_prefix`. */
export const mongodbRegistry: SlotFactory<RegistrySlot> = checkedFactory(
  (context) => {
    const settings = settingsOf(context, 'registry');
    const url = settings.string('url', 'connection');
    const database = settings.string('database');
    const collectionPrefix = settings.string('collection_prefix');
    return {
      ...(url === undefined ? {} : { url }),
      ...(database === undefined ? {} : { database }),
      ...(collectionPrefix === undefined ? {} : { collectionPrefix }),
    };
  },
  async (options) => (await import('@muster/mongodb')).createMongoRegistry(options),
);

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
export const natsMessaging: SlotFactory<MessagingSlot> = checkedFactory(
  (context) => natsOptions(context, 'messaging'),
  async (options) => (await import('@muster/nats')).createNatsMessaging(options),
);

/** JetStream queues: the NATS settings plus `retention` (a duration: the queues' max age). */
export const natsDurability: SlotFactory<DurabilitySlot> = checkedFactory(
  (context) => {
    const maxAgeMs = settingsOf(context, 'durability').durationMs('retention');
    return {
      ...natsOptions(context, 'durability'),
      ...(maxAgeMs === undefined ? {} : { retention: { maxAgeMs } }),
    };
  },
  async (options) => (await import('@muster/nats')).createJetStreamDurability(options),
);

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
export const kafkaMessaging: SlotFactory<MessagingSlot> = checkedFactory(
  (context) => {
    const messageRetentionMs = settingsOf(context, 'messaging').durationMs('retention');
    return {
      ...kafkaOptions(context, 'messaging'),
      ...(messageRetentionMs === undefined ? {} : { messageRetentionMs }),
    };
  },
  async (options) => (await import('@muster/kafka')).createKafkaMessaging(options),
);

/** The Kafka settings plus `retention` (a duration: the queues' max age). */
export const kafkaDurability: SlotFactory<DurabilitySlot> = checkedFactory(
  (context) => {
    const maxAgeMs = settingsOf(context, 'durability').durationMs('retention');
    return {
      ...kafkaOptions(context, 'durability'),
      ...(maxAgeMs === undefined ? {} : { retention: { maxAgeMs } }),
    };
  },
  async (options) => (await import('@muster/kafka')).createKafkaDurability(options),
);
