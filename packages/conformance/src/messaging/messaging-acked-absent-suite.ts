// Guarantees (no supports.acked): the documented absence: a coordinator on this slot refuses an
// `acked` multicast with UNSUPPORTED instead of pretending that anything was acknowledged.
import { createMuster } from '@muster/core';
import { expect } from 'vitest';
import { expectMusterError } from '../support/expect-muster-error.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { type MessagingSuiteContext, withMessaging } from './messaging-suite-context.js';

export function messagingAckedAbsentSuite(context: MessagingSuiteContext): void {
  context.test('acked (not supported): the coordinator answers UNSUPPORTED', async () => {
    await withMessaging(context, async (messaging) => {
      expect(messaging.supports.acked).toBe(false);
      const namespace = uniqueNamespace('acked-absent');
      const muster = createMuster({ messaging, sweepIntervalMs: 0 });
      try {
        await muster.register(namespace, { identity: 'device' });
        await expectMusterError(
          muster.multicast(namespace, { payload: 'x', delivery: 'acked' }),
          'UNSUPPORTED',
          'an acked multicast',
        );
      } finally {
        await muster.close();
      }
    });
  });
}
