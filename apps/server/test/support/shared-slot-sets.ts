import { createConnection } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createMemoryDurability, createMemoryMessaging, createMemoryRegistry } from '@muster/core';
import { loadConfig, type SlotSet } from '../../src/index.js';
import { buildSlots } from '../../src/slots/build-slots.js';

/**
 * A backend combination for the two-instance test: `open()` gives each server instance its own
 * slot set (its own connections) on the SAME backends; `unreachable()` says why it cannot run.
 * In memory there is one set of slot objects, shared by both instances.
 */
export interface SharedSlotSet {
  readonly name: string;
  /** The namespace to test in (a fresh one per run where backends persist). */
  readonly namespace?: string;
  open(): Promise<{ slots: SlotSet; close(): Promise<void> }>;
  /** Why the backends cannot be reached, or undefined when they can. */
  unreachable(): Promise<string | undefined>;
}

export function memorySlotSet(): SharedSlotSet {
  const slots: SlotSet = {
    registry: createMemoryRegistry(),
    messaging: createMemoryMessaging(),
    durability: createMemoryDurability(),
  };
  let opened = 0;
  return {
    name: 'memory (one set of slot objects shared by both instances)',
    unreachable: async () => undefined,
    open: async () => {
      opened += 1;
      return {
        slots,
        close: async () => {
          opened -= 1;
          if (opened === 0)
            await Promise.all([
              slots.registry.close(),
              slots.messaging.close(),
              slots.durability?.close(),
            ]);
        },
      };
    },
  };
}

function closeAll(slots: SlotSet): Promise<unknown> {
  return Promise.allSettled([
    slots.registry.close(),
    slots.messaging.close(),
    slots.durability?.close(),
  ]);
}

/**
 * A shipped config file (RFC-017's example, as written) built through the slot factories, so
 * the test also covers the factories and the config: each `open()` builds a new slot set (new
 * connections) on the same backends. The namespace is renamed to a fresh one per run.
 */
function configSlotSet(
  name: string,
  file: string,
  env: NodeJS.ProcessEnv,
  probe: readonly string[],
): SharedSlotSet & { readonly namespace: string } {
  const namespace = `srv-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}`;
  return {
    name,
    namespace,
    unreachable: () => firstUnreachable(probe),
    open: async () => {
      const config = await loadConfig(
        fileURLToPath(new URL(`../../config/${file}`, import.meta.url)),
        env,
      );
      const settings = { ...config.namespaces[0]!, name: namespace };
      const slots = await buildSlots(settings, env);
      return { slots, close: async () => void (await closeAll(slots)) };
    },
  };
}

/** Redis registry + NATS messaging: RFC-017's example 1 (config/presence.redis-nats.yaml). */
export function redisNatsSlotSet(): SharedSlotSet & { readonly namespace: string } {
  const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const nats = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  return configSlotSet(
    'Redis + NATS (config/presence.redis-nats.yaml)',
    'presence.redis-nats.yaml',
    { REDIS_HOST: redis.hostname, NATS_URL: nats },
    [redis.href, nats],
  );
}

/** Redis for all three slots (config/presence.redis.yaml). */
export function redisSlotSet(): SharedSlotSet & { readonly namespace: string } {
  const redis = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  return configSlotSet(
    'Redis alone (config/presence.redis.yaml)',
    'presence.redis.yaml',
    { REDIS_URL: redis },
    [redis],
  );
}

/** PostgreSQL registry + Kafka messaging and durability: RFC-017's example 2 (config/iot.postgres-kafka.yaml). */
export function postgresKafkaSlotSet(): SharedSlotSet & { readonly namespace: string } {
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  return configSlotSet(
    'PostgreSQL + Kafka (config/iot.postgres-kafka.yaml)',
    'iot.postgres-kafka.yaml',
    { DATABASE_URL: databaseUrl, KAFKA_BROKERS: brokers },
    [databaseUrl, `kafka://${brokers.split(',')[0]}`],
  );
}

/**
 * The combinations the test runs: all of them unless MUSTER_SERVER_BACKENDS narrows them (`memory`,
 * or a comma list of `redis-nats`, `redis`, `postgres-kafka`).
 */
export function sharedSlotSets(): SharedSlotSet[] {
  const wanted = (process.env.MUSTER_SERVER_BACKENDS ?? 'all')
    .split(',')
    .map((name) => name.trim());
  const all = wanted.includes('all');
  return [
    memorySlotSet(),
    ...(all || wanted.includes('redis-nats') ? [redisNatsSlotSet()] : []),
    ...(all || wanted.includes('redis') ? [redisSlotSet()] : []),
    ...(all || wanted.includes('postgres-kafka') ? [postgresKafkaSlotSet()] : []),
  ];
}

/** Why the first of `urls` that refuses a TCP connection cannot be used, or undefined. */
export async function firstUnreachable(urls: readonly string[]): Promise<string | undefined> {
  for (const url of urls) {
    const { hostname, port } = new URL(url);
    const reachable = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: hostname, port: Number(port) });
      socket.setTimeout(1000);
      socket.once('connect', () => resolve(true));
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => resolve(false));
    }).finally(() => undefined);
    if (!reachable) return `${url} is unreachable`;
  }
  return undefined;
}
