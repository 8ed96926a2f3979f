// Guarantees (no supports.reports): the documented absence: `reports` is absent or false and
// there are no saveReport / markDelivered / loadReport methods (each coordinator then keeps the
// reports of its own multicasts, in process).
import { expect } from 'vitest';
import { type DurabilitySuiteContext, withDurability } from './durability-suite-context.js';

export function durabilityReportsAbsentSuite(context: DurabilitySuiteContext): void {
  context.test('reports (not supported): no report methods', async () => {
    await withDurability(context, async (slot) => {
      expect(slot.supports.reports ?? false).toBe(false);
      for (const method of ['saveReport', 'markDelivered', 'loadReport'] as const)
        expect(slot[method], `${method}() is absent without supports.reports`).toBeUndefined();
    });
  });
}
