// Guarantees (supports.atMostOnce): a fire-and-forget publish reports SENT for each envelope
// handed to the transport, NO_SUBSCRIBER where nobody listens when the transport knows it
// (supports.presence; SENT otherwise), and never DELIVERED; ack() on such a message is a no-op.
import { expect } from 'vitest';
import { makeEnvelope } from '../support/make-envelope.js';
import { openInbox } from '../support/open-inbox.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { type MessagingSuiteContext, withMessaging } from './messaging-suite-context.js';

export function messagingAtMostOnceSuite(context: MessagingSuiteContext): void {
  context.test('at-most-once: SENT, or NO_SUBSCRIBER with presence; never DELIVERED', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('amo');
      const inbox = await openInbox(slot, namespace, 'listening', { ack: true });
      const results = await slot.publish(
        namespace,
        [makeEnvelope('listening'), makeEnvelope('absent'), makeEnvelope('listening')],
        { mode: 'at-most-once', timeoutMs: 1_000 },
      );
      const absent = slot.supports.presence ? 'NO_SUBSCRIBER' : 'SENT';
      expect(results.map((r) => `${r.identity}:${r.status}`)).toEqual([
        'listening:SENT',
        `absent:${absent}`,
        'listening:SENT',
      ]);
      await inbox.until(2, 'both messages');
      // ack() of an at-most-once message is accepted and changes nothing.
      expect(() => inbox.messages[0]!.ack()).not.toThrow();
    });
  });

  context.test('at-most-once: publish does not wait for the subscriber', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('amo-nowait');
      // A subscriber that never acks: an at-most-once publish must not wait for it.
      const inbox = await openInbox(slot, namespace, 'slow');
      const started = Date.now();
      const results = await slot.publish(namespace, [makeEnvelope('slow')], {
        mode: 'at-most-once',
        timeoutMs: 5_000,
      });
      expect(results[0]!.status).toBe('SENT');
      expect(
        Date.now() - started,
        'an at-most-once publish returned without waiting for an ack',
      ).toBeLessThan(4_000);
      await inbox.until(1, 'the message');
    });
  });
}
