// Slots that lack capabilities still pass the kit: the suites of documented absence run instead
// (UNSUPPORTED from the coordinator, local watch events, refined superset pages, polling, real-time
// TTLs for a server clock), and the coordinator suite passes on top of them.
import { describe, it } from 'vitest';
import {
  testCoordinator,
  testDurabilitySlot,
  testMessagingSlot,
  testRegistrySlot,
} from '../src/index.js';
import { limitedDurability, limitedMessaging, limitedRegistry } from './support/limited-slots.js';

await testRegistrySlot({ it, describe, name: 'limited', factory: limitedRegistry });
await testMessagingSlot({ it, describe, name: 'limited', factory: limitedMessaging });
await testDurabilitySlot({ it, describe, name: 'limited', factory: limitedDurability });
await testCoordinator({
  it,
  describe,
  name: 'limited',
  slots: () => ({
    registry: limitedRegistry(),
    messaging: limitedMessaging(),
    durability: limitedDurability(),
  }),
});
await testCoordinator({
  it,
  describe,
  name: 'limited, without durability',
  slots: () => ({ registry: limitedRegistry(), messaging: limitedMessaging(), durability: null }),
});
