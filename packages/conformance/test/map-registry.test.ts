// The README's minimal third-party registry (a Map) passes the registry kit and the coordinator
// suite: the example in the guide is complete and correct.

import { testCoordinator, testRegistrySlot } from '@muster/conformance';
import { createMemoryDurability, createMemoryMessaging } from '@muster/core';
import { describe, it } from 'vitest';
import { createMapRegistry } from './support/map-registry.js';

await testRegistrySlot({ it, describe, name: 'map registry', factory: createMapRegistry });
await testCoordinator({
  it,
  describe,
  name: 'map registry',
  slots: () => ({
    registry: createMapRegistry(),
    messaging: createMemoryMessaging(),
    durability: createMemoryDurability(),
  }),
});
