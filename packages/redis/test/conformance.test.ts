// The whole conformance kit against a real Redis: the registry suites (filter corpus and 2,000+
// fuzzed filters against the reference evaluator included) and the coordinator suites with the
// in-memory messaging and durability slots.
import { testCoordinator, testRegistrySlot } from '@muster/conformance';
import { createMemoryDurability, createMemoryMessaging } from '@muster/core';
import { afterAll, describe, it } from 'vitest';
import { createRedisRegistry } from '../src/index.js';
import {
  dropPrefix,
  REDIS_URL,
  redisAvailable,
  uniquePrefix,
} from './support/redis-test-server.js';

const keyPrefix = uniquePrefix('conformance');

if (await redisAvailable()) {
  // A prefix per slot: each factory call is a fresh, empty registry (as the kit expects), while
  // the slots of one coordinator fixture still share theirs.
  let slots = 0;
  const factory = () =>
    createRedisRegistry({ url: REDIS_URL, keyPrefix: `${keyPrefix}-${++slots}` });
  afterAll(() => dropPrefix(keyPrefix));
  await testRegistrySlot({ it, describe, name: 'redis', factory, fuzzRuns: 2_000 });
  await testCoordinator({
    it,
    describe,
    name: 'redis',
    slots: () => ({
      registry: factory(),
      messaging: createMemoryMessaging(),
      durability: createMemoryDurability(),
    }),
  });
} else {
  describe.skip('redis conformance (no Redis reachable)', () => {
    it('needs a Redis server', () => undefined);
  });
}
