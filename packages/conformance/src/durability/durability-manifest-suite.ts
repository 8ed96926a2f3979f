// Guarantees: the durability slot declares a well-formed `supports` manifest, the same for every
// instance, and has `onAvailable` exactly when it declares `notify`.
import { expect } from 'vitest';
import { type DurabilitySuiteContext, withDurability } from './durability-suite-context.js';

export function durabilityManifestSuite(context: DurabilitySuiteContext): void {
  context.test('durability manifest: booleans, stable, onAvailable iff notify', async () => {
    await withDurability(context, async (slot) => {
      for (const field of ['retention', 'notify', 'distributed'] as const)
        expect(typeof slot.supports[field], `supports.${field} is a boolean`).toBe('boolean');
      expect(structuredClone(slot.supports)).toEqual(context.supports);
      expect(
        typeof slot.onAvailable === 'function',
        'onAvailable() exists iff supports.notify',
      ).toBe(Boolean(slot.supports.notify));
    });
  });
}
