// Guarantees (no supports.notify): the documented absence: there is no onAvailable method (the
// coordinator polls `read` instead).
import { expect } from 'vitest';
import { type DurabilitySuiteContext, withDurability } from './durability-suite-context.js';

export function durabilityNotifyAbsentSuite(context: DurabilitySuiteContext): void {
  context.test('notify (not supported): no onAvailable method', async () => {
    await withDurability(context, async (slot) => {
      expect(slot.supports.notify).toBe(false);
      expect(slot.onAvailable).toBeUndefined();
    });
  });
}
