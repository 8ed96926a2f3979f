// Guarantees (supports.notify): onAvailable calls its listener when messages are enqueued for its
// identity (not for others, not in other namespaces), and no more after unsubscribing.
import { expect } from 'vitest';
import { makeEnvelope } from '../support/make-envelope.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { sleep, waitFor } from '../support/wait-for.js';
import { type DurabilitySuiteContext, withDurability } from './durability-suite-context.js';

export function durabilityNotifySuite(context: DurabilitySuiteContext): void {
  context.test('notify: onAvailable fires for its identity only, until unsubscribed', async () => {
    await withDurability(context, async (slot) => {
      const namespace = uniqueNamespace('dn');
      let calls = 0;
      const stop = await slot.onAvailable!(namespace, 'a', () => {
        calls++;
      });
      await slot.enqueue(namespace, [makeEnvelope('b', 'not for a')], Date.now());
      await slot.enqueue(uniqueNamespace('dn-other'), [makeEnvelope('a', 'elsewhere')], Date.now());
      await sleep(50);
      expect(calls, 'no call for other identities or namespaces').toBe(0);
      await slot.enqueue(namespace, [makeEnvelope('a', '1'), makeEnvelope('a', '2')], Date.now());
      await waitFor(() => calls >= 1, 'a notification');
      await stop();
      const before = calls;
      await slot.enqueue(namespace, [makeEnvelope('a', '3')], Date.now());
      await sleep(50);
      expect(calls, 'no call after unsubscribing').toBe(before);
    });
  });
}
