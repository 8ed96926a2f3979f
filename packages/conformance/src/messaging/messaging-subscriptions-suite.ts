// Guarantees: several subscriptions to one identity each receive every message; unsubscribing
// one leaves the others; after the last unsubscribe nothing more arrives (and, with presence, a
// publish says NO_SUBSCRIBER); unsubscribing twice is harmless; a throwing subscriber does not
// stop delivery to the others.
import { expect } from 'vitest';
import { makeEnvelope, payloadText } from '../support/make-envelope.js';
import { openInbox } from '../support/open-inbox.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { sleep } from '../support/wait-for.js';
import { type MessagingSuiteContext, withMessaging } from './messaging-suite-context.js';
import { send } from './send.js';

export function messagingSubscriptionsSuite(context: MessagingSuiteContext): void {
  const { test } = context;

  test('subscriptions: several subscriptions to one identity each receive every message', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('subs-many');
      const inboxes = await Promise.all(
        [1, 2, 3].map(() => openInbox(slot, namespace, 'shared', { ack: true })),
      );
      await send(
        slot,
        namespace,
        ['x', 'y'].map((text) => makeEnvelope('shared', text)),
      );
      for (const inbox of inboxes) {
        await inbox.until(2, 'both messages');
        expect(inbox.envelopes().map(payloadText)).toEqual(['x', 'y']);
      }
    });
  });

  test('subscriptions: unsubscribing one subscription leaves the others', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('subs-one-off');
      const first = await openInbox(slot, namespace, 'shared', { ack: true });
      const second = await openInbox(slot, namespace, 'shared', { ack: true });
      await first.unsubscribe();
      await send(slot, namespace, [makeEnvelope('shared', 'after')]);
      await second.until(1, 'the message');
      await sleep(50);
      expect(first.messages).toHaveLength(0);
      expect(second.envelopes().map(payloadText)).toEqual(['after']);
    });
  });

  test('subscriptions: after unsubscribe nothing arrives; unsubscribing twice is harmless', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('subs-off');
      const inbox = await openInbox(slot, namespace, 'device', { ack: true });
      await send(slot, namespace, [makeEnvelope('device', 'before')]);
      await inbox.until(1, 'the first message');
      await inbox.unsubscribe();
      await inbox.unsubscribe();
      const results = await slot.publish(namespace, [makeEnvelope('device', 'after')], {
        mode: slot.supports.atMostOnce ? 'at-most-once' : 'acked',
        timeoutMs: 300,
      });
      if (slot.supports.presence) expect(results[0]!.status).toBe('NO_SUBSCRIBER');
      expect(results[0]!.status).not.toBe('DELIVERED');
      await sleep(50);
      expect(inbox.envelopes().map(payloadText)).toEqual(['before']);
    });
  });

  test('subscriptions: a subscriber that throws does not stop delivery to the others', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('subs-throw');
      const unsubscribe = await slot.subscribe(namespace, 'shared', () => {
        throw new Error('a faulty subscriber');
      });
      const healthy = await openInbox(slot, namespace, 'shared', { ack: true });
      const other = await openInbox(slot, namespace, 'other', { ack: true });
      await send(slot, namespace, [
        makeEnvelope('shared', 'one'),
        makeEnvelope('other', 'two'),
        makeEnvelope('shared', 'three'),
      ]);
      await healthy.until(2, 'both messages');
      await other.until(1, 'its message');
      expect(healthy.envelopes().map(payloadText)).toEqual(['one', 'three']);
      await unsubscribe();
    });
  });
}
