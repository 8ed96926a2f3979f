// Guarantees (no disrupt/restore hooks): the disconnect suite is not applicable only to a slot
// that has no backend connection to lose: it must declare `supports.distributed === false`. A
// distributed adapter must pass the hooks to run the disconnect suite.
import { expect } from 'vitest';
import { type MessagingSuiteContext, withMessaging } from './messaging-suite-context.js';

export function messagingDisconnectNotApplicableSuite(context: MessagingSuiteContext): void {
  console.log(
    `[conformance] ${context.name ?? 'messaging slot'}: disconnect suite not applicable (no disrupt/restore hooks); ` +
      'checking that the slot declares supports.distributed === false',
  );
  context.test(
    'disconnect: not applicable without a connection (the slot is not distributed)',
    async () => {
      await withMessaging(context, async (slot) => {
        expect(
          slot.supports.distributed,
          'a distributed messaging slot must pass disrupt/restore hooks to the kit',
        ).toBe(false);
      });
    },
  );
}
