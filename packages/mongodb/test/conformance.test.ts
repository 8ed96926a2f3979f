// The whole conformance kit against the MongoDB server (the mongo-java-server test server that
// global-setup starts, or a real MongoDB via MONGODB_URL), with the filter corpus and 2,000+
// fuzzed filters; then the coordinator suite with the in-memory messaging and durability.
import { testCoordinator, testRegistrySlot } from '@muster/conformance';
import { createMemoryDurability, createMemoryMessaging, type RegistrySlot } from '@muster/core';
import { describe, it } from 'vitest';
import { createMongoRegistry } from '../src/index.js';
import {
  dropPrefix,
  MONGODB_URL,
  mongoAvailable,
  TEST_DATABASE,
  uniquePrefix,
} from './support/mongo-url.js';

const available = await mongoAvailable();
const test = available ? it : it.skip;

// Each slot gets collections of its own (the coordinator's sweep walks every namespace of its
// registry, so slots must not see other tests' leftovers); teardown drops them.
const prefixes = new WeakMap<RegistrySlot, string>();
let slots = 0;
const factory = (): RegistrySlot => {
  const prefix = uniquePrefix(`conf${slots++}`);
  const slot = createMongoRegistry({
    url: MONGODB_URL,
    database: TEST_DATABASE,
    collectionPrefix: prefix,
    // No TTL index: the kit's manual clock runs apart from the server's, and a TTL monitor
    // (real MongoDB) would reap records the kit still counts as live.
    reapAfterSeconds: false,
    serverSelectionTimeoutMS: 3_000,
    watchPollMs: 20,
  });
  prefixes.set(slot, prefix);
  return slot;
};
const teardown = async (slot: RegistrySlot): Promise<void> => {
  const prefix = prefixes.get(slot);
  if (prefix !== undefined) await dropPrefix(prefix);
};

await testRegistrySlot({ it: test, describe, name: 'mongodb', factory, teardown, fuzzRuns: 2_000 });
await testCoordinator({
  it: test,
  describe,
  name: 'mongodb',
  slots: () => ({
    registry: factory(),
    messaging: createMemoryMessaging(),
    durability: createMemoryDurability(),
  }),
  teardown: async ({ registry }) => teardown(registry),
});
