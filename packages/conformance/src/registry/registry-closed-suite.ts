// Guarantees: close is idempotent, and a closed registry rejects calls with UNAVAILABLE (the
// coordinator's signal that a backend is gone) instead of hanging or answering from stale state.
import { nodes } from '@muster/filter';
import { expectMusterError } from '../support/expect-muster-error.js';
import { makeRecord } from '../support/make-record.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

export function registryClosedSuite(context: RegistrySuiteContext): void {
  context.test(
    'close: idempotent; calls on a closed registry reject with UNAVAILABLE',
    async () => {
      await withRegistry(context, async (slot) => {
        const namespace = uniqueNamespace('closed');
        const now = Date.now();
        await slot.put(namespace, makeRecord('a'), { mode: 'create' }, now);
        await slot.close();
        await slot.close();
        await expectMusterError(slot.get(namespace, 'a', now), 'UNAVAILABLE', 'get after close');
        await expectMusterError(
          slot.put(namespace, makeRecord('b'), { mode: 'create' }, now),
          'UNAVAILABLE',
          'put after close',
        );
        await expectMusterError(
          slot.enumerate(
            namespace,
            { filter: nodes.all(), limit: 10, sort: [], includeMetadata: true, totalCount: false },
            now,
          ),
          'UNAVAILABLE',
          'enumerate after close',
        );
      });
    },
  );
}
