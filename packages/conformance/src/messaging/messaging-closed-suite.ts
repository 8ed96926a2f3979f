// Guarantees: close is idempotent; a closed messaging slot rejects publish and subscribe with
// UNAVAILABLE, and an acked publish still waiting when the slot closes settles (never hangs).
import { MusterError } from '@muster/core';
import { expect } from 'vitest';
import { expectMusterError } from '../support/expect-muster-error.js';
import { makeEnvelope } from '../support/make-envelope.js';
import { openInbox } from '../support/open-inbox.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { type MessagingSuiteContext, withMessaging } from './messaging-suite-context.js';
import { send } from './send.js';

export function messagingClosedSuite(context: MessagingSuiteContext): void {
  context.test('close: idempotent; a closed slot rejects calls with UNAVAILABLE', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('msg-closed');
      let pending: Promise<unknown> | undefined;
      if (slot.supports.acked) {
        await openInbox(slot, namespace, 'silent');
        pending = slot
          .publish(namespace, [makeEnvelope('silent')], { mode: 'acked', timeoutMs: 60_000 })
          .catch((error: unknown) => error);
      }
      await slot.close();
      await slot.close();
      if (pending !== undefined) {
        const settled = await Promise.race([
          pending,
          new Promise((r) => setTimeout(() => r('hung'), 5_000)),
        ]);
        expect(settled, 'an acked publish in flight settles when the slot closes').not.toBe('hung');
        if (Array.isArray(settled)) expect(settled[0].status).not.toBe('DELIVERED');
        else expect(MusterError.is(settled), 'a rejection is a MusterError').toBe(true);
      }
      await expectMusterError(
        send(slot, namespace, [makeEnvelope('a')]),
        'UNAVAILABLE',
        'publish after close',
      );
      await expectMusterError(
        slot.subscribe(namespace, 'a', () => {}),
        'UNAVAILABLE',
        'subscribe after close',
      );
    });
  });
}
