import {
  createMemoryDurability,
  createMemoryMessaging,
  createMemoryRegistry,
  type DurabilitySlot,
  type MessagingSlot,
  type RegistrySlot,
} from '@muster/core';
import {
  kafkaDurability,
  kafkaMessaging,
  mongodbRegistry,
  natsDurability,
  natsMessaging,
  postgresDurability,
  postgresRegistry,
  redisDurability,
  redisMessaging,
  redisRegistry,
} from './adapter-factories.js';

/** What a factory gets: the namespace, its slot's settings as configured, the composition. */
export interface SlotFactoryContext {
  readonly namespace: string;
  /** The slot's configured settings (`type` and the backend's connection settings). */
  readonly settings: Readonly<Record<string, unknown>>;
  /** RFC-017's `composition` of the namespace (e.g. the outbox), when configured. */
  readonly composition?: Readonly<Record<string, unknown>>;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Makes a slot from its settings. `check`, when present, reads the settings without importing
 * the adapter or connecting, and throws what the factory would (so a config can be checked at
 * load time and a wrong setting reported at its line).
 */
export type SlotFactory<T> = ((context: SlotFactoryContext) => Promise<T>) & {
  readonly check?: (context: SlotFactoryContext) => void;
};

export interface SlotFactoryTable {
  readonly registry: Readonly<Record<string, SlotFactory<RegistrySlot>>>;
  readonly messaging: Readonly<Record<string, SlotFactory<MessagingSlot>>>;
  readonly durability: Readonly<Record<string, SlotFactory<DurabilitySlot>>>;
}

/**
 * Slot factories by backend `type`. Adapters are imported only when a config names them, so a
 * deployment without (say) the Kafka client installed runs every other backend.
 */
export const SLOT_FACTORIES: SlotFactoryTable = {
  registry: {
    memory: async () => createMemoryRegistry(),
    redis: redisRegistry,
    postgres: postgresRegistry,
    postgresql: postgresRegistry,
    mongodb: mongodbRegistry,
  },
  messaging: {
    memory: async () => createMemoryMessaging(),
    redis: redisMessaging,
    nats: natsMessaging,
    kafka: kafkaMessaging,
  },
  durability: {
    memory: async () => createMemoryDurability(),
    // Keyed by the messaging types too: `use_messaging: true` looks up the messaging backend's
    // type here (`nats` is JetStream, also named `jetstream`).
    redis: redisDurability,
    postgres: postgresDurability,
    postgresql: postgresDurability,
    jetstream: natsDurability,
    nats: natsDurability,
    kafka: kafkaDurability,
  },
};
