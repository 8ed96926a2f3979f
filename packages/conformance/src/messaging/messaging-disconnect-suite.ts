// Guarantees (with the adapter's disrupt/restore hooks): while the backend is unreachable, publish
// fails honestly (UNAVAILABLE, or statuses that claim nothing: SENT / NO_SUBSCRIBER / FAILED with
// UNAVAILABLE) and never hangs; once it is back, the same slot publishes again and existing
// subscriptions receive again, without a restart.
import { MusterError, type PublishResult } from '@muster/core';
import { expect } from 'vitest';
import { makeEnvelope, payloadText } from '../support/make-envelope.js';
import { openInbox } from '../support/open-inbox.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { sleep } from '../support/wait-for.js';
import { type MessagingSuiteContext, withMessaging } from './messaging-suite-context.js';
import { send } from './send.js';

const RECOVERY_MS = 20_000;

export function messagingDisconnectSuite(context: MessagingSuiteContext): void {
  const { disrupt, restore } = context;
  if (disrupt === undefined || restore === undefined)
    throw new TypeError('messagingDisconnectSuite needs both disrupt and restore');

  context.test(
    'disconnect: publish fails honestly while the backend is gone, and recovers',
    async () => {
      await withMessaging(context, async (slot) => {
        const namespace = uniqueNamespace('disconnect');
        const inbox = await openInbox(slot, namespace, 'device', { ack: true });
        await send(slot, namespace, [makeEnvelope('device', 'before')]);
        await inbox.until(1, 'the message before the disruption');
        await disrupt(slot);
        let restored = false;
        try {
          const outcome = await Promise.race([
            send(slot, namespace, [makeEnvelope('device', 'during')]).then(
              (results) => ({ results }),
              (error: unknown) => ({ error }),
            ),
            sleep(RECOVERY_MS).then(() => ({ hung: true as const })),
          ]);
          expect('hung' in outcome, 'publish hung while the backend was gone').toBe(false);
          if ('error' in outcome) {
            expect(
              MusterError.is(outcome.error, 'UNAVAILABLE'),
              `rejected with ${String(outcome.error)}`,
            ).toBe(true);
          } else if ('results' in outcome) {
            for (const result of outcome.results as readonly PublishResult[]) {
              expect(
                ['SENT', 'NO_SUBSCRIBER', 'FAILED'],
                'an honest status while disconnected',
              ).toContain(result.status);
              if (result.status === 'FAILED') expect(result.error?.code).toBe('UNAVAILABLE');
            }
          }
          await restore(slot);
          restored = true;
          // Recovery: keep publishing fresh markers until one arrives on the old subscription.
          const deadline = Date.now() + RECOVERY_MS;
          let attempt = 0;
          while (!inbox.envelopes().some((e) => payloadText(e).startsWith('after-'))) {
            if (Date.now() > deadline)
              throw new Error('no message arrived after the backend came back');
            await send(slot, namespace, [makeEnvelope('device', `after-${attempt++}`)]).catch(
              () => undefined,
            );
            await sleep(200);
          }
          const fresh = await openInbox(slot, namespace, 'fresh', { ack: true });
          await send(slot, namespace, [makeEnvelope('fresh', 'new subscription')]);
          await fresh.until(1, 'a message to a subscription made after recovery');
        } finally {
          if (!restored) await restore(slot);
        }
      });
    },
    90_000,
  );
}
