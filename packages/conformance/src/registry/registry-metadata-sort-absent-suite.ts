// Guarantees (no supports.sort): the documented absence: the coordinator refuses metadata sorts
// with UNSUPPORTED instead of returning a wrong order, while identity and registered_at sorts work.
import { createMuster } from '@muster/core';
import { expect } from 'vitest';
import { expectMusterError } from '../support/expect-muster-error.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

export function registryMetadataSortAbsentSuite(context: RegistrySuiteContext): void {
  context.test('metadata sort (not supported): the coordinator answers UNSUPPORTED', async () => {
    await withRegistry(context, async (registry) => {
      expect(registry.supports.sort).toBe(false);
      const namespace = uniqueNamespace('sort-absent');
      const muster = createMuster({ registry, sweepIntervalMs: 0 });
      try {
        await muster.register(namespace, { identity: 'b', metadata: { level: 1 } });
        await muster.register(namespace, { identity: 'a', metadata: { level: 2 } });
        await expectMusterError(
          muster.enumerate(namespace, { sort: [{ by: 'level' }] }),
          'UNSUPPORTED',
          'a metadata sort',
        );
        const page = await muster.enumerate(namespace, {
          sort: [{ by: 'identity', direction: 'desc' }],
        });
        expect(page.identities.map((record) => record.identity)).toEqual(['b', 'a']);
      } finally {
        await muster.close();
      }
    });
  });
}
