import type { Envelope, MessagingSlot, PublishResult } from '@muster/core';

/**
 * Broken on purpose: loses every 100th envelope it is given and still reports it SENT (or, for an
 * acked publish, TIMEOUT, as if the receiver had been too slow).
 */
export function droppingEveryHundredth(inner: MessagingSlot): MessagingSlot {
  let seen = 0;
  return {
    supports: inner.supports,
    subscribe: (...args) => inner.subscribe(...args),
    close: () => inner.close(),
    async publish(namespace, envelopes, options) {
      const kept: Envelope[] = [];
      const dropped = new Set<number>();
      envelopes.forEach((envelope, index) => {
        seen++;
        if (seen % 100 === 0) dropped.add(index);
        else kept.push(envelope);
      });
      const results = await inner.publish(namespace, kept, options);
      let next = 0;
      return envelopes.map((envelope, index): PublishResult => {
        if (!dropped.has(index)) return results[next++]!;
        const status = options.mode === 'acked' ? 'TIMEOUT' : 'SENT';
        return { identity: envelope.identity, messageId: envelope.messageId, status };
      });
    },
  };
}
