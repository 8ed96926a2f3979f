import type { Message, Subscription } from '@muster/core';

export interface Collected {
  readonly messages: Message[];
  /** Resolves once at least `count` messages have arrived (rejects after `timeoutMs`). */
  until(count: number, timeoutMs?: number): Promise<void>;
}

/** Reads a subscription in the background, acking each message (at-least-once completes). */
export function collect(subscription: Subscription): Collected {
  const messages: Message[] = [];
  void (async () => {
    for await (const message of subscription) {
      messages.push(message);
      await message.ack().catch(() => undefined);
    }
  })();
  return {
    messages,
    async until(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline)
          throw new Error(`only ${messages.length} of ${count} messages after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

export const text = (message: Message): string => new TextDecoder().decode(message.payload);
