// Guarantees (no supports.quota): the documented absence: the slot does not enforce `quota`
// atomically, and the coordinator still refuses registrations beyond the namespace's
// maxIdentities by counting first (best effort, not atomic under concurrency).
import { createMuster } from '@muster/core';
import { expect } from 'vitest';
import { expectMusterError } from '../support/expect-muster-error.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

export function registryQuotaAbsentSuite(context: RegistrySuiteContext): void {
  context.test(
    'quota (not supported): the coordinator enforces maxIdentities by counting',
    async () => {
      await withRegistry(context, async (registry) => {
        expect(registry.supports.quota).toBe(false);
        const namespace = uniqueNamespace('quota-absent');
        const muster = createMuster({
          registry,
          sweepIntervalMs: 0,
          namespaces: { [namespace]: { maxIdentities: 3 } },
        });
        try {
          for (let i = 0; i < 3; i++) await muster.register(namespace, { identity: `id-${i}` });
          await expectMusterError(
            muster.register(namespace, { identity: 'id-3' }),
            'QUOTA_EXCEEDED',
            'a fourth register with maxIdentities 3',
          );
          expect(await registry.count(namespace, Date.now())).toBe(3);
        } finally {
          await muster.close();
        }
      });
    },
  );
}
