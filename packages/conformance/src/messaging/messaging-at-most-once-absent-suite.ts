// Guarantees (no supports.atMostOnce): the documented absence: the slot offers acked delivery
// instead (a transport must offer at least one mode), so nothing is ever reported SENT by it.
import { expect } from 'vitest';
import { type MessagingSuiteContext, withMessaging } from './messaging-suite-context.js';

export function messagingAtMostOnceAbsentSuite(context: MessagingSuiteContext): void {
  context.test('at-most-once (not supported): the slot offers acked delivery instead', async () => {
    await withMessaging(context, async (slot) => {
      expect(slot.supports.atMostOnce).toBe(false);
      expect(slot.supports.acked, 'a slot without at-most-once must support acked').toBe(true);
    });
  });
}
