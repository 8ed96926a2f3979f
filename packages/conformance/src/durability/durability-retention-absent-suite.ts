// Guarantees (no supports.retention): the documented absence: trim is accepted and drops
// nothing; messages stay until acked or purged.
import { expect } from 'vitest';
import { makeEnvelope } from '../support/make-envelope.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { texts } from './durability-queue-suite.js';
import { type DurabilitySuiteContext, withDurability } from './durability-suite-context.js';

export function durabilityRetentionAbsentSuite(context: DurabilitySuiteContext): void {
  context.test('retention (not supported): trim keeps every message', async () => {
    await withDurability(context, async (slot) => {
      expect(slot.supports.retention).toBe(false);
      const namespace = uniqueNamespace('dret-absent');
      const now = Date.now();
      await slot.enqueue(
        namespace,
        [makeEnvelope('a', 'old', { createdAt: now - 86_400_000 }), makeEnvelope('a', 'new')],
        now,
      );
      await slot.trim(namespace, now);
      expect(texts(await slot.read(namespace, 'a', { limit: 10 }, now))).toEqual(['old', 'new']);
    });
  });
}
