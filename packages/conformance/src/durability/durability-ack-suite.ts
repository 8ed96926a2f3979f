// Guarantees: ack is idempotent and forgiving: acking twice, acking an unknown sequence, an
// unknown identity, or a purged message is not an error and affects nothing else.
import { expect } from 'vitest';
import { makeEnvelope } from '../support/make-envelope.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { texts } from './durability-queue-suite.js';
import { type DurabilitySuiteContext, withDurability } from './durability-suite-context.js';

export function durabilityAckSuite(context: DurabilitySuiteContext): void {
  context.test('ack: idempotent; unknown sequences and identities are not errors', async () => {
    await withDurability(context, async (slot) => {
      const namespace = uniqueNamespace('da');
      const [first, second] = await slot.enqueue(
        namespace,
        [makeEnvelope('a', 'x'), makeEnvelope('a', 'y')],
        Date.now(),
      );
      await slot.ack(namespace, 'a', [first!]);
      await slot.ack(namespace, 'a', [first!, first!]);
      await slot.ack(namespace, 'a', [second! + 1_000_000]);
      await slot.ack(namespace, 'nobody', [first!]);
      await slot.ack(namespace, 'a', []);
      await slot.ack(uniqueNamespace('da-other'), 'a', [second!]);
      expect(texts(await slot.read(namespace, 'a', { limit: 10 }, Date.now()))).toEqual(['y']);
      await slot.purge(namespace, 'a');
      await slot.ack(namespace, 'a', [second!]);
    });
  });
}
