// Guarantees: a published envelope reaches its identity's subscriber intact (every field, binary
// payload byte for byte); publish returns one result per envelope, in input order, echoing identity
// and message id; a batch fans out to many identities, up to 10,000 in batches of 500, each
// identity receiving exactly its own message once.
import type { Envelope } from '@muster/core';
import { expect } from 'vitest';
import { makeEnvelope } from '../support/make-envelope.js';
import { type Inbox, openInbox } from '../support/open-inbox.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { waitForCount } from '../support/wait-for.js';
import { type MessagingSuiteContext, withMessaging } from './messaging-suite-context.js';
import { deliveredStatus, send } from './send.js';

function sameEnvelope(received: Envelope, sent: Envelope): void {
  const { payload: receivedPayload, ...receivedRest } = received;
  const { payload: sentPayload, ...sentRest } = sent;
  expect(receivedRest).toEqual(sentRest);
  expect(receivedPayload).toBeInstanceOf(Uint8Array);
  expect(Array.from(receivedPayload)).toEqual(Array.from(sentPayload));
}

export function messagingDeliverySuite(context: MessagingSuiteContext): void {
  const { test } = context;

  test('delivery: one envelope reaches its subscriber intact', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('deliver-one');
      const inbox = await openInbox(slot, namespace, 'device-1', { ack: true });
      const payload = Uint8Array.from({ length: 256 }, (_, i) => i);
      const envelope = makeEnvelope('device-1', payload, {
        contentType: 'application/octet-stream',
        attempt: 3,
        createdAt: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
      });
      const results = await send(slot, namespace, [envelope]);
      expect(results).toEqual([
        { identity: 'device-1', messageId: envelope.messageId, status: deliveredStatus(slot) },
      ]);
      await inbox.until(1, 'the envelope');
      expect(inbox.messages).toHaveLength(1);
      sameEnvelope(inbox.messages[0]!.envelope, envelope);
      await inbox.unsubscribe();
    });
  });

  test('delivery: results come one per envelope, in input order; an empty batch gives none', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('deliver-results');
      const inboxes = await Promise.all(
        ['a', 'b', 'c'].map((id) => openInbox(slot, namespace, id, { ack: true })),
      );
      const envelopes = ['c', 'a', 'b', 'a', 'c'].map((id) => makeEnvelope(id));
      const results = await send(slot, namespace, envelopes);
      expect(results.map((r) => [r.identity, r.messageId])).toEqual(
        envelopes.map((e) => [e.identity, e.messageId]),
      );
      expect(results.every((r) => r.status === deliveredStatus(slot))).toBe(true);
      await Promise.all(inboxes.map((inbox, i) => inbox.until(i === 1 ? 1 : 2, 'its envelopes')));
      expect(await send(slot, namespace, [])).toEqual([]);
    });
  });

  test('delivery: 10,000 identities each receive exactly their message (batches of 500)', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('deliver-many');
      const count = 10_000;
      const ids = Array.from({ length: count }, (_, i) => `device-${i}`);
      const received = new Map<string, string[]>();
      const unsubscribes = await Promise.all(
        ids.map((id) =>
          slot.subscribe(namespace, id, (message) => {
            message.ack();
            const list = received.get(id) ?? [];
            list.push(message.envelope.messageId);
            received.set(id, list);
          }),
        ),
      );
      const envelopes = ids.map((id) => makeEnvelope(id, `for ${id}`));
      const batches: Envelope[][] = [];
      for (let i = 0; i < count; i += 500) batches.push(envelopes.slice(i, i + 500));
      const results = (
        await Promise.all(batches.map((batch) => send(slot, namespace, batch)))
      ).flat();
      expect(results).toHaveLength(count);
      expect(results.filter((r) => r.status !== deliveredStatus(slot))).toEqual([]);
      let total = 0;
      await waitForCount(
        () => {
          total = 0;
          for (const list of received.values()) total += list.length;
          return total;
        },
        count,
        'one message per identity',
        { timeoutMs: 30_000 },
      ).catch(() => undefined); // the precise check below says what is missing
      const wrong = envelopes.filter((e) => {
        const list = received.get(e.identity);
        return list === undefined || list.length !== 1 || list[0] !== e.messageId;
      });
      expect(
        wrong.length,
        `identities without exactly their one message (e.g. ${wrong[0]?.identity})`,
      ).toBe(0);
      expect(total).toBe(count);
      await Promise.all(unsubscribes.map((unsubscribe) => unsubscribe()));
    });
  }, 60_000);

  test('delivery: a subscriber only gets messages for its own identity (encoded safely)', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('deliver-own');
      // Identities that collide if an adapter puts them raw into subjects, topics or keys.
      const ids = [
        'alice',
        'alicia',
        'room',
        'room.1',
        'room_2E1',
        'room_1',
        'a/b',
        'a:b@c+d=e~f',
        'A',
      ];
      const inboxes = new Map<string, Inbox>();
      for (const id of ids) inboxes.set(id, await openInbox(slot, namespace, id, { ack: true }));
      await send(
        slot,
        namespace,
        ids.map((id) => makeEnvelope(id, `for ${id}`)),
      );
      for (const inbox of inboxes.values()) await inbox.until(1, 'its message');
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const [id, inbox] of inboxes)
        expect(
          inbox.envelopes().map((e) => e.identity),
          `messages received by ${id}`,
        ).toEqual([id]);
    });
  });
}
