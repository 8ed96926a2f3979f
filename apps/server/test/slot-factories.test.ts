import { DEFAULT_RETENTION, MusterError } from '@muster/core';
import { POSTGRES_DURABILITY_SUPPORTS, POSTGRES_REGISTRY_SUPPORTS } from '@muster/postgres';
import {
  REDIS_DURABILITY_SUPPORTS,
  REDIS_MESSAGING_SUPPORTS,
  REDIS_REGISTRY_SUPPORTS,
} from '@muster/redis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildSlots } from '../src/slots/build-slots.js';
import { checkSlotSettings } from '../src/slots/check-slot-settings.js';
import type { SlotSet } from '../src/slots/slot-set.js';
import { configFrom } from './support/test-server.js';

// The real adapters, with their factories recorded: the options each slot was made with are
// checked, and the slots are made for real (no connection is needed to make one).
vi.mock('@muster/redis', async (importOriginal) => {
  const redis = await importOriginal<typeof import('@muster/redis')>();
  return {
    ...redis,
    createRedisRegistry: vi.fn(redis.createRedisRegistry),
    createRedisMessaging: vi.fn(redis.createRedisMessaging),
    createRedisDurability: vi.fn(redis.createRedisDurability),
  };
});
vi.mock('@muster/postgres', async (importOriginal) => {
  const postgres = await importOriginal<typeof import('@muster/postgres')>();
  return {
    ...postgres,
    createPostgresRegistry: vi.fn(postgres.createPostgresRegistry),
    createPostgresDurability: vi.fn(postgres.createPostgresDurability),
  };
});
const redis = await import('@muster/redis');
const postgres = await import('@muster/postgres');

const built: SlotSet[] = [];
afterEach(async () => {
  await Promise.all(
    built
      .splice(0)
      .flatMap((slots) => [
        slots.registry.close(),
        slots.messaging.close(),
        slots.durability?.close(),
      ]),
  );
  vi.clearAllMocks();
});

async function slotsFrom(yaml: string): Promise<SlotSet> {
  const slots = await buildSlots(configFrom(yaml).namespaces[0]!, {});
  built.push(slots);
  return slots;
}

describe('slot factories', () => {
  it('make Redis registry, messaging and durability slots from YAML', async () => {
    const slots = await slotsFrom(`namespaces:
  - name: presence
    backend_slots:
      registry: { type: redis, host: cache.internal, port: 6380, db: 2, key_prefix: app }
      messaging: { type: redis, url: "redis://cache.internal:6380/2", command_timeout: 2s }
      durability:
        type: redis
        connection: "redis://cache.internal:6380/2"
        connect_timeout: 500ms
        retention: 1d
        max_length: 1000
`);
    expect([slots.registry.supports, slots.messaging.supports, slots.durability?.supports]).toEqual(
      [REDIS_REGISTRY_SUPPORTS, REDIS_MESSAGING_SUPPORTS, REDIS_DURABILITY_SUPPORTS],
    );
    const connectionName = 'muster-server:presence';
    expect(redis.createRedisRegistry).toHaveBeenCalledWith({
      url: 'redis://cache.internal:6380/2',
      keyPrefix: 'app',
      connectionName,
    });
    expect(redis.createRedisMessaging).toHaveBeenCalledWith({
      url: 'redis://cache.internal:6380/2',
      commandTimeoutMs: 2000,
      connectionName,
    });
    expect(redis.createRedisDurability).toHaveBeenCalledWith({
      url: 'redis://cache.internal:6380/2',
      connectTimeoutMs: 500,
      retention: { maxAgeMs: 86_400_000, maxLength: 1000 },
      connectionName,
    });
  });

  it('take the durability slot from Redis messaging with use_messaging: true', async () => {
    const slots = await slotsFrom(`namespaces:
  - name: chat
    backend_slots:
      messaging: { type: redis, url: "redis://127.0.0.1:6379/0", key_prefix: chat, retention: 2h }
      durability: { use_messaging: true }
`);
    expect(slots.durability?.supports).toBe(REDIS_DURABILITY_SUPPORTS);
    // Bounding the age keeps the default length bound.
    expect(redis.createRedisDurability).toHaveBeenCalledWith({
      url: 'redis://127.0.0.1:6379/0',
      keyPrefix: 'chat',
      retention: { maxAgeMs: 7_200_000, maxLength: DEFAULT_RETENTION.maxLength },
      connectionName: 'muster-server:chat',
    });
  });

  it('make a PostgreSQL durability slot (postgres and postgresql) from YAML', async () => {
    const slots = await slotsFrom(`namespaces:
  - name: iot
    backend_slots:
      registry: { type: postgresql, connection: "postgres://db.internal/iot" }
      durability:
        type: postgres
        url: "postgres://db.internal/iot"
        schema: iot_queues
        pool_size: 4
        max_length: 50
`);
    expect([slots.registry.supports, slots.durability?.supports]).toEqual([
      POSTGRES_REGISTRY_SUPPORTS,
      POSTGRES_DURABILITY_SUPPORTS,
    ]);
    expect(postgres.createPostgresDurability).toHaveBeenCalledWith({
      url: 'postgres://db.internal/iot',
      schema: 'iot_queues',
      poolSize: 4,
      retention: { maxAgeMs: DEFAULT_RETENTION.maxAgeMs, maxLength: 50 },
      applicationName: 'muster-server:iot',
    });
    const other = await slotsFrom(`namespaces:
  - name: iot
    backend_slots:
      durability: { type: postgresql }
`);
    expect(other.durability?.supports).toBe(POSTGRES_DURABILITY_SUPPORTS);
    expect(postgres.createPostgresDurability).toHaveBeenLastCalledWith({
      applicationName: 'muster-server:iot',
    });
  });

  it('refuse a wrong setting at start, naming it', async () => {
    const building = slotsFrom(`namespaces:
  - name: iot
    backend_slots:
      durability: { type: postgres, retention: soon }
`);
    // Refused while the config is read, at its line, before any slot is built.
    await expect(building).rejects.toSatisfy(
      (error) =>
        MusterError.is(error, 'INVALID_ARGUMENT') &&
        error.message.includes(
          'test.yaml:4:48 namespaces.0.backend_slots.durability.retention: must be a duration',
        ),
    );
    expect(postgres.createPostgresDurability).not.toHaveBeenCalled();
  });
});

describe('checkSlotSettings', () => {
  const yaml = `namespaces:
  - name: iot
    backend_slots:
      registry: { type: redis, port: twelve }
      messaging:
        type: redis
        key_prefix: chat
        command_timeout: often
        max_length: 2.5
      durability: { use_messaging: true }
  - name: queues
    backend_slots:
      messaging: { type: somewhere-else }
      durability:
        type: postgresql
        retention: soon
        max_length: 0
        pool_size: [1]
`;

  /** The problems the config loader reports, one `file:line:column key: message` each. */
  function located(): string[] {
    try {
      configFrom(yaml);
    } catch (error) {
      return (error as Error).message.split('\n').slice(1);
    }
    return [];
  }

  it('finds each wrong setting without connecting, at its line', () => {
    expect(located()).toEqual([
      'test.yaml:4:38 namespaces.0.backend_slots.registry.port: must be a number, not "twelve"',
      'test.yaml:8:26 namespaces.0.backend_slots.messaging.command_timeout: must be a duration (seconds, or 100ms, 30s, 5m, 2h, 7d), not "often"',
      // use_messaging: the messaging settings are the durability slot's too.
      'test.yaml:9:21 namespaces.0.backend_slots.messaging.max_length: must be a whole number, 1 or more, not 2.5',
      'test.yaml:16:20 namespaces.1.backend_slots.durability.retention: must be a duration (seconds, or 100ms, 30s, 5m, 2h, 7d), not "soon"',
    ]);
    expect(redis.createRedisRegistry).not.toHaveBeenCalled();
    expect(postgres.createPostgresDurability).not.toHaveBeenCalled();
  });

  it('finds nothing wrong in good settings', () => {
    const settings = configFrom(`namespaces:
  - name: ok
    backend_slots:
      registry: { type: redis, url: "redis://127.0.0.1:6379/0" }
      messaging: { type: redis }
      durability: { type: redis, retention: 7d, max_length: 1 }
`).namespaces[0]!;
    expect(checkSlotSettings(settings, {})).toEqual([]);
  });

  it('refuses max_length 0 (the adapters would keep no message)', () => {
    const settings = {
      name: 'none',
      backend_slots: { durability: { type: 'postgres', max_length: 0 } },
    } as unknown as Parameters<typeof checkSlotSettings>[0];
    expect(checkSlotSettings(settings, {})).toEqual([
      {
        path: ['backend_slots', 'durability', 'max_length'],
        message: 'must be a whole number, 1 or more, not 0',
      },
    ]);
  });
});
