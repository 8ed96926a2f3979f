// Guarantees: messages for one identity arrive in publish order, within a batch and across
// consecutive publishes, also when other identities' messages are interleaved.
import { expect } from 'vitest';
import { makeEnvelope, payloadText } from '../support/make-envelope.js';
import { openInbox } from '../support/open-inbox.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { type MessagingSuiteContext, withMessaging } from './messaging-suite-context.js';
import { send } from './send.js';

export function messagingOrderSuite(context: MessagingSuiteContext): void {
  const { test } = context;

  test('order: 200 messages to one identity over 20 publishes arrive in order', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('order');
      const inbox = await openInbox(slot, namespace, 'device', { ack: true });
      const expected: string[] = [];
      for (let batch = 0; batch < 20; batch++) {
        const texts = Array.from({ length: 10 }, (_, i) => `${batch * 10 + i}`);
        expected.push(...texts);
        await send(
          slot,
          namespace,
          texts.map((text) => makeEnvelope('device', text)),
        );
      }
      await inbox.until(200, 'all 200');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(inbox.envelopes().map(payloadText)).toEqual(expected);
    });
  });

  test('order: interleaved identities in one batch each see their own messages in order', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('order-interleaved');
      const ids = ['a', 'b', 'c', 'd'];
      const inboxes = await Promise.all(
        ids.map((id) => openInbox(slot, namespace, id, { ack: true })),
      );
      const envelopes = Array.from({ length: 200 }, (_, i) =>
        makeEnvelope(ids[(i * 7) % 4]!, `${i}`),
      );
      await send(slot, namespace, envelopes);
      for (const [index, id] of ids.entries()) {
        const expected = envelopes.filter((e) => e.identity === id).map(payloadText);
        await inboxes[index]!.until(expected.length, `${id}'s messages`);
        expect(inboxes[index]!.envelopes().map(payloadText), `order for ${id}`).toEqual(expected);
      }
    });
  });
}
