// Guarantees: purge drops one identity's whole queue (and nothing else); purging an unknown
// identity is not an error; sequences are never reused, not after acks and not after a purge.
import { expect } from 'vitest';
import { makeEnvelope } from '../support/make-envelope.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { texts } from './durability-queue-suite.js';
import { type DurabilitySuiteContext, withDurability } from './durability-suite-context.js';

export function durabilityPurgeSuite(context: DurabilitySuiteContext): void {
  const { test } = context;

  test("purge: drops one identity's queue only", async () => {
    await withDurability(context, async (slot) => {
      const namespace = uniqueNamespace('dp');
      await slot.enqueue(
        namespace,
        [makeEnvelope('a', '1'), makeEnvelope('b', '2'), makeEnvelope('a', '3')],
        Date.now(),
      );
      await slot.purge(namespace, 'a');
      await slot.purge(namespace, 'nobody');
      expect(await slot.read(namespace, 'a', { limit: 10 }, Date.now())).toEqual([]);
      expect(texts(await slot.read(namespace, 'b', { limit: 10 }, Date.now()))).toEqual(['2']);
      await slot.enqueue(namespace, [makeEnvelope('a', '4')], Date.now());
      expect(texts(await slot.read(namespace, 'a', { limit: 10 }, Date.now()))).toEqual(['4']);
    });
  });

  test('sequences: never reused after acks, purges and retention', async () => {
    await withDurability(context, async (slot) => {
      const namespace = uniqueNamespace('dp-seq');
      const used = new Set<number>();
      let highest = Number.NEGATIVE_INFINITY;
      for (let round = 0; round < 5; round++) {
        const sequences = await slot.enqueue(
          namespace,
          Array.from({ length: 4 }, (_, i) => makeEnvelope('a', `${round}-${i}`)),
          Date.now(),
        );
        for (const sequence of sequences) {
          expect(used.has(sequence), `sequence ${sequence} reused`).toBe(false);
          expect(sequence).toBeGreaterThan(highest);
          used.add(sequence);
          highest = sequence;
        }
        if (round % 2 === 0) await slot.ack(namespace, 'a', sequences);
        else await slot.purge(namespace, 'a');
        await slot.trim(namespace, Date.now());
      }
    });
  });
}
