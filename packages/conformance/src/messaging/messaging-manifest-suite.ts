// Guarantees: the messaging slot declares a well-formed `supports` manifest, the same for every
// instance and unchanged by use, offering at least one delivery mode.
import { expect } from 'vitest';
import { makeEnvelope } from '../support/make-envelope.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { type MessagingSuiteContext, withMessaging } from './messaging-suite-context.js';
import { send } from './send.js';

export function messagingManifestSuite(context: MessagingSuiteContext): void {
  context.test('messaging manifest: booleans, stable, at least one delivery mode', async () => {
    await withMessaging(context, async (slot) => {
      for (const field of ['atMostOnce', 'acked', 'presence', 'distributed'] as const)
        expect(typeof slot.supports[field], `supports.${field} is a boolean`).toBe('boolean');
      expect(slot.supports.atMostOnce || slot.supports.acked, 'at least one delivery mode').toBe(
        true,
      );
      const before = structuredClone(slot.supports);
      expect(before).toEqual(context.supports);
      await send(slot, uniqueNamespace('manifest'), [makeEnvelope('nobody')]);
      expect(slot.supports).toEqual(before);
    });
  });
}
