// The coordinator suites on Redis alone: redis registry + redis messaging + redis durability.
import { testCoordinator } from '@muster/conformance';
import { afterAll, describe, it } from 'vitest';
import { createRedisDurability, createRedisMessaging, createRedisRegistry } from '../src/index.js';
import {
  dropPrefix,
  REDIS_URL,
  redisAvailable,
  uniquePrefix,
} from './support/redis-test-server.js';

const keyPrefix = uniquePrefix('coordinator');

if (await redisAvailable()) {
  // A prefix per fixture: each is a fresh, empty registry, shared by the fixture's three slots.
  let fixtures = 0;
  afterAll(() => dropPrefix(keyPrefix));
  await testCoordinator({
    it,
    describe,
    name: 'redis registry + redis messaging + redis durability',
    slots: () => {
      const options = { url: REDIS_URL, keyPrefix: `${keyPrefix}-${++fixtures}` };
      return {
        registry: createRedisRegistry(options),
        messaging: createRedisMessaging(options),
        durability: createRedisDurability(options),
      };
    },
  });
} else {
  describe.skip('coordinator on Redis (no Redis reachable)', () => {
    it('needs a Redis server', () => undefined);
  });
}
