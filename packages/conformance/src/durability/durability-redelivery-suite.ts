// Guarantees: reading does not consume: a message that was read but not acked is returned again
// by a later read from an earlier position (redelivery), until it is acked.
import { expect } from 'vitest';
import { makeEnvelope } from '../support/make-envelope.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { texts } from './durability-queue-suite.js';
import { type DurabilitySuiteContext, withDurability } from './durability-suite-context.js';

export function durabilityRedeliverySuite(context: DurabilitySuiteContext): void {
  context.test('redelivery: unacked messages are read again from the start', async () => {
    await withDurability(context, async (slot) => {
      const namespace = uniqueNamespace('dr');
      const sequences = await slot.enqueue(
        namespace,
        ['0', '1', '2'].map((t) => makeEnvelope('a', t)),
        Date.now(),
      );
      expect(texts(await slot.read(namespace, 'a', { limit: 10 }, Date.now()))).toEqual([
        '0',
        '1',
        '2',
      ]);
      // A subscriber that went away without acking: everything comes again.
      expect(texts(await slot.read(namespace, 'a', { limit: 10 }, Date.now()))).toEqual([
        '0',
        '1',
        '2',
      ]);
      await slot.ack(namespace, 'a', [sequences[1]!]);
      expect(texts(await slot.read(namespace, 'a', { limit: 10 }, Date.now()))).toEqual(['0', '2']);
      expect(
        texts(await slot.read(namespace, 'a', { after: sequences[0]!, limit: 10 }, Date.now())),
      ).toEqual(['2']);
    });
  });
}
