// The in-memory slots pass the whole kit: also the example of an adapter's conformance test file.

import {
  testCoordinator,
  testDurabilitySlot,
  testMessagingSlot,
  testRegistrySlot,
} from '@muster/conformance';
import { createMemoryDurability, createMemoryMessaging, createMemoryRegistry } from '@muster/core';
import { describe, it } from 'vitest';

await testRegistrySlot({ it, describe, name: 'memory', factory: () => createMemoryRegistry() });
await testMessagingSlot({ it, describe, name: 'memory', factory: () => createMemoryMessaging() });
await testDurabilitySlot({
  it,
  describe,
  name: 'memory',
  factory: (options) => createMemoryDurability(options),
});
await testCoordinator({
  it,
  describe,
  name: 'memory',
  slots: () => ({
    registry: createMemoryRegistry(),
    messaging: createMemoryMessaging(),
    durability: createMemoryDurability(),
  }),
});
