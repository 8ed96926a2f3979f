// Guarantees (supports.retention): trim applies the retention policy: beyond maxLength unacked
// messages per identity the oldest are dropped (the newest stay, in order); messages created
// more than maxAgeMs before `now` are dropped; nothing else is.
import { expect } from 'vitest';
import { makeEnvelope } from '../support/make-envelope.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { texts } from './durability-queue-suite.js';
import { type DurabilitySuiteContext, withDurability } from './durability-suite-context.js';

export function durabilityRetentionSuite(context: DurabilitySuiteContext): void {
  const { test } = context;

  test('retention: by length, the newest maxLength messages stay', async () => {
    await withDurability(
      context,
      async (slot) => {
        const namespace = uniqueNamespace('dret-length');
        const now = Date.now();
        await slot.enqueue(
          namespace,
          ['1', '2', '3', '4', '5'].map((t) => makeEnvelope('a', t)),
          now,
        );
        await slot.enqueue(namespace, [makeEnvelope('b', 'only')], now);
        await slot.trim(namespace, now);
        expect(texts(await slot.read(namespace, 'a', { limit: 10 }, now))).toEqual(['3', '4', '5']);
        expect(texts(await slot.read(namespace, 'b', { limit: 10 }, now))).toEqual(['only']);
        await slot.enqueue(namespace, [makeEnvelope('a', '6')], now);
        await slot.trim(namespace, now);
        expect(texts(await slot.read(namespace, 'a', { limit: 10 }, now))).toEqual(['4', '5', '6']);
      },
      { retention: { maxLength: 3 } },
    );
  });

  test('retention: by age, messages older than maxAgeMs are dropped', async () => {
    await withDurability(
      context,
      async (slot) => {
        const namespace = uniqueNamespace('dret-age');
        const now = Date.now();
        await slot.enqueue(
          namespace,
          [
            makeEnvelope('a', 'old', { createdAt: now - 120_000 }),
            makeEnvelope('a', 'older-than-limit', { createdAt: now - 61_000 }),
            makeEnvelope('a', 'recent', { createdAt: now - 30_000 }),
            makeEnvelope('a', 'new', { createdAt: now }),
          ],
          now,
        );
        await slot.trim(namespace, now);
        expect(texts(await slot.read(namespace, 'a', { limit: 10 }, now))).toEqual([
          'recent',
          'new',
        ]);
        await slot.trim(namespace, now + 45_000);
        expect(texts(await slot.read(namespace, 'a', { limit: 10 }, now + 45_000))).toEqual([
          'new',
        ]);
      },
      { retention: { maxAgeMs: 60_000 } },
    );
  });
}
