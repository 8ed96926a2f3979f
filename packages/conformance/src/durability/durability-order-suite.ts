// Guarantees: an identity's queue keeps enqueue order across many enqueue calls and mixed
// identities, and a walk by `after` in small pages visits every message once, in order.
import { expect } from 'vitest';
import { makeEnvelope, payloadText } from '../support/make-envelope.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { type DurabilitySuiteContext, withDurability } from './durability-suite-context.js';

export function durabilityOrderSuite(context: DurabilitySuiteContext): void {
  context.test(
    'order: 500 messages over 10 enqueues read back in order, in pages of 7',
    async () => {
      await withDurability(context, async (slot) => {
        const namespace = uniqueNamespace('do');
        const expected: string[] = [];
        for (let batch = 0; batch < 10; batch++) {
          const envelopes = Array.from({ length: 100 }, (_, i) => {
            const id = i % 2 === 0 ? 'a' : 'b';
            const text = `${batch}-${i}`;
            if (id === 'a') expected.push(text);
            return makeEnvelope(id, text);
          });
          await slot.enqueue(namespace, envelopes, Date.now());
        }
        const seen: string[] = [];
        let after: number | undefined;
        for (let page = 0; page < 200; page++) {
          const messages = await slot.read(
            namespace,
            'a',
            after === undefined ? { limit: 7 } : { after, limit: 7 },
            Date.now(),
          );
          if (messages.length === 0) break;
          expect(messages.length).toBeLessThanOrEqual(7);
          seen.push(...messages.map((m) => payloadText(m.envelope)));
          after = messages[messages.length - 1]!.sequence;
        }
        expect(seen).toEqual(expected);
      });
    },
  );
}
