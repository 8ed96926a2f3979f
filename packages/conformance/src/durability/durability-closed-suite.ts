// Guarantees: close is idempotent, and a closed durability slot rejects calls with UNAVAILABLE.
import { expectMusterError } from '../support/expect-muster-error.js';
import { makeEnvelope } from '../support/make-envelope.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { type DurabilitySuiteContext, withDurability } from './durability-suite-context.js';

export function durabilityClosedSuite(context: DurabilitySuiteContext): void {
  context.test('close: idempotent; a closed slot rejects calls with UNAVAILABLE', async () => {
    await withDurability(context, async (slot) => {
      const namespace = uniqueNamespace('d-closed');
      await slot.enqueue(namespace, [makeEnvelope('a')], Date.now());
      await slot.close();
      await slot.close();
      await expectMusterError(
        slot.enqueue(namespace, [makeEnvelope('a')], Date.now()),
        'UNAVAILABLE',
        'enqueue after close',
      );
      await expectMusterError(
        slot.read(namespace, 'a', { limit: 1 }, Date.now()),
        'UNAVAILABLE',
        'read after close',
      );
    });
  });
}
