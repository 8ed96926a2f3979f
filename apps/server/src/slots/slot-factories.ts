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
  postgresRegistry,
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

export type SlotFactory<T> = (context: SlotFactoryContext) => Promise<T>;

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
    nats: natsMessaging,
    kafka: kafkaMessaging,
  },
  durability: {
    memory: async () => createMemoryDurability(),
    // `jetstream` by name; `nats` for `use_messaging: true` next to NATS messaging.
    jetstream: natsDurability,
    nats: natsDurability,
    kafka: kafkaDurability,
  },
};
