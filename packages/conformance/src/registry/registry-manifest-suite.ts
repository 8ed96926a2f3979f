// Guarantees: the registry declares its capabilities as a well-formed `supports` manifest that is
// the same for every instance and never changes, and the optional methods exist exactly when the
// manifest says so (`watch` with supports.watch; `ensureIndexes` with supports.indexes).
import { expect } from 'vitest';
import { makeRecord } from '../support/make-record.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

export function registryManifestSuite(context: RegistrySuiteContext): void {
  const { test } = context;

  test('registry manifest: every field is declared with an allowed value', async () => {
    await withRegistry(context, async (slot) => {
      const supports = slot.supports;
      expect(['exact', 'partial', 'none']).toContain(supports.filter);
      expect(['native', 'sweep']).toContain(supports.ttl);
      expect(['caller', 'server']).toContain(supports.clock);
      for (const field of ['sort', 'count', 'watch', 'quota', 'indexes'] as const)
        expect(typeof supports[field], `supports.${field} is a boolean`).toBe('boolean');
    });
  });

  test('registry manifest: the same for every instance and unchanged by use', async () => {
    await withRegistry(context, async (slot) => {
      const before = structuredClone(slot.supports);
      expect(before).toEqual(context.supports);
      await slot.put(uniqueNamespace('manifest'), makeRecord('a'), { mode: 'create' }, Date.now());
      expect(slot.supports).toEqual(before);
    });
  });

  test('registry manifest: optional methods exist exactly when declared', async () => {
    await withRegistry(context, async (slot) => {
      expect(typeof slot.watch === 'function', 'watch() exists iff supports.watch').toBe(
        Boolean(slot.supports.watch),
      );
      if (slot.supports.indexes) {
        expect(typeof slot.ensureIndexes, 'ensureIndexes() exists when supports.indexes').toBe(
          'function',
        );
        await slot.ensureIndexes!(uniqueNamespace('indexes'), [['status'], ['location', 'floor']]);
      }
    });
  });
}
