// Guarantees (no supports.count): the documented absence: the coordinator answers a request for
// `totalCount` with UNSUPPORTED rather than a guess; enumerate without it works.
import { createMuster } from '@muster/core';
import { expect } from 'vitest';
import { expectMusterError } from '../support/expect-muster-error.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

export function registryCountAbsentSuite(context: RegistrySuiteContext): void {
  context.test('total count (not supported): the coordinator answers UNSUPPORTED', async () => {
    await withRegistry(context, async (registry) => {
      expect(registry.supports.count).toBe(false);
      const namespace = uniqueNamespace('count-absent');
      const muster = createMuster({ registry, sweepIntervalMs: 0 });
      try {
        await muster.register(namespace, { identity: 'a' });
        await expectMusterError(
          muster.enumerate(namespace, { totalCount: true }),
          'UNSUPPORTED',
          'totalCount',
        );
        expect((await muster.enumerate(namespace)).identities).toHaveLength(1);
      } finally {
        await muster.close();
      }
    });
  });
}
