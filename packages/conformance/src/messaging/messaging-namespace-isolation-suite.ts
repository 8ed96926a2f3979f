// Guarantees: namespaces never leak into each other: a subscriber of an identity in one namespace
// receives nothing published to the same identity in another (which, with presence, has no
// subscriber at all).
import { expect } from 'vitest';
import { makeEnvelope, payloadText } from '../support/make-envelope.js';
import { openInbox } from '../support/open-inbox.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { sleep } from '../support/wait-for.js';
import { type MessagingSuiteContext, withMessaging } from './messaging-suite-context.js';
import { send } from './send.js';

export function messagingNamespaceIsolationSuite(context: MessagingSuiteContext): void {
  context.test('namespaces: no message crosses from one namespace to another', async () => {
    await withMessaging(context, async (slot) => {
      const east = uniqueNamespace('msg-east');
      const west = uniqueNamespace('msg-west');
      // Namespaces that would collide if joined naively with an identity into one subject or key.
      const eastDot = `${east}.x`;
      const inbox = await openInbox(slot, east, 'device', { ack: true });
      const dotted = await openInbox(slot, eastDot, 'device', { ack: true });
      const nested = await openInbox(slot, east, 'x.device', { ack: true });
      const results = await slot.publish(west, [makeEnvelope('device', 'west')], {
        mode: slot.supports.atMostOnce ? 'at-most-once' : 'acked',
        timeoutMs: 300,
      });
      if (slot.supports.presence) expect(results[0]!.status).toBe('NO_SUBSCRIBER');
      await send(slot, eastDot, [makeEnvelope('device', 'east.x')]);
      await send(slot, east, [makeEnvelope('device', 'east')]);
      await inbox.until(1, 'the east message');
      await dotted.until(1, 'the east.x message');
      await sleep(50);
      expect(inbox.envelopes().map(payloadText)).toEqual(['east']);
      expect(dotted.envelopes().map(payloadText)).toEqual(['east.x']);
      expect(nested.messages).toHaveLength(0);
    });
  });
}
