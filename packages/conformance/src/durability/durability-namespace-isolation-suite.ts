// Guarantees: queues of the same identity in two namespaces are independent (enqueue, read,
// ack, purge, trim).
import { expect } from 'vitest';
import { makeEnvelope } from '../support/make-envelope.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { texts } from './durability-queue-suite.js';
import { type DurabilitySuiteContext, withDurability } from './durability-suite-context.js';

export function durabilityNamespaceIsolationSuite(context: DurabilitySuiteContext): void {
  context.test('namespaces: the same identity has one queue per namespace', async () => {
    await withDurability(context, async (slot) => {
      const east = uniqueNamespace('d-east');
      const west = uniqueNamespace('d-west');
      const [eastSequence] = await slot.enqueue(east, [makeEnvelope('a', 'east')], Date.now());
      await slot.enqueue(west, [makeEnvelope('a', 'west')], Date.now());
      expect(texts(await slot.read(east, 'a', { limit: 10 }, Date.now()))).toEqual(['east']);
      expect(texts(await slot.read(west, 'a', { limit: 10 }, Date.now()))).toEqual(['west']);
      await slot.ack(west, 'a', [eastSequence!]);
      await slot.purge(west, 'b');
      expect(texts(await slot.read(east, 'a', { limit: 10 }, Date.now()))).toEqual(['east']);
      await slot.purge(west, 'a');
      await slot.trim(west, Date.now());
      expect(texts(await slot.read(east, 'a', { limit: 10 }, Date.now()))).toEqual(['east']);
    });
  });
}
