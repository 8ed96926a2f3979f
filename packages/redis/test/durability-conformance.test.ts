import { testDurabilitySlot } from '@muster/conformance';
import { afterAll, describe, it } from 'vitest';
import { createRedisDurability } from '../src/index.js';
import {
  dropPrefix,
  REDIS_URL,
  redisAvailable,
  uniquePrefix,
} from './support/redis-test-server.js';

const keyPrefix = uniquePrefix('durability');

if (await redisAvailable()) {
  afterAll(() => dropPrefix(keyPrefix));
  await testDurabilitySlot({
    it,
    describe,
    name: 'redis streams',
    factory: ({ retention }) =>
      createRedisDurability({
        url: REDIS_URL,
        keyPrefix,
        ...(retention === undefined ? {} : { retention }),
      }),
  });
} else {
  describe.skip('redis durability conformance (no Redis reachable)', () => {
    it('needs a Redis server', () => undefined);
  });
}
