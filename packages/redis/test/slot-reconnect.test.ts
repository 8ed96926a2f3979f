// After the server kills a slot's connections (CLIENT KILL), the messaging slot's subscriptions
// and the durability slot's notifications are restored without a new slot, and a durable reader
// is woken once (notifications sent while it was away are lost).
import { makeEnvelope, payloadText, uniqueNamespace, waitFor } from '@muster/conformance';
import type { InboundMessage } from '@muster/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisDurability, createRedisMessaging } from '../src/index.js';
import { killConnections } from './support/kill-connections.js';
import {
  dropPrefix,
  REDIS_URL,
  redisAvailable,
  uniquePrefix,
} from './support/redis-test-server.js';

const keyPrefix = uniquePrefix('slot-reconnect');

if (await redisAvailable()) {
  afterAll(() => dropPrefix(keyPrefix));

  describe('redis messaging and durability after killed connections', () => {
    it('messaging: subscriptions are restored after CLIENT KILL', async () => {
      const connectionName = `muster-msg-reconnect-${process.pid}`;
      const slot = createRedisMessaging({ url: REDIS_URL, keyPrefix, connectionName });
      const admin = new Redis(REDIS_URL);
      try {
        const namespace = uniqueNamespace('msg-reconnect');
        const received: InboundMessage[] = [];
        await slot.subscribe(namespace, 'device', (message) => received.push(message));
        const send = (text: string) =>
          slot.publish(namespace, [makeEnvelope('device', text)], {
            mode: 'at-most-once',
            timeoutMs: 1_000,
          });
        expect((await send('before'))[0]!.status).toBe('SENT');
        await waitFor(() => received.length === 1, 'the message before the kill');

        // The command connection and the subscriber connection.
        expect(await killConnections(admin, connectionName)).toBe(2);

        // Until the subscriber is back PUBLISH counts no receiver: NO_SUBSCRIBER, honestly.
        const deadline = Date.now() + 10_000;
        let status = '';
        for (let i = 0; status !== 'SENT' && Date.now() < deadline; i++) {
          status = (await send(`after-${i}`).catch(() => [{ status: 'FAILED' }]))[0]!.status;
          if (status !== 'SENT') await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(status).toBe('SENT');
        await waitFor(
          () => received.some((m) => payloadText(m.envelope).startsWith('after-')),
          'a message after the kill',
        );
      } finally {
        await slot.close();
        admin.disconnect();
      }
    });

    it('durability: notifications are restored, and listeners woken once', async () => {
      const connectionName = `muster-dur-reconnect-${process.pid}`;
      const slot = createRedisDurability({ url: REDIS_URL, keyPrefix, connectionName });
      const writer = createRedisDurability({ url: REDIS_URL, keyPrefix });
      const admin = new Redis(REDIS_URL);
      try {
        const namespace = uniqueNamespace('dur-reconnect');
        let calls = 0;
        await slot.onAvailable!(namespace, 'device', () => calls++);
        await writer.enqueue(namespace, [makeEnvelope('device', 'one')], Date.now());
        await waitFor(() => calls === 1, 'the first notification');

        expect(await killConnections(admin, connectionName)).toBe(2);
        await waitFor(() => calls === 2, 'the wake-up after the restore');

        await writer.enqueue(namespace, [makeEnvelope('device', 'two')], Date.now());
        await waitFor(() => calls === 3, 'a notification after the restore');
        const texts = (await slot.read(namespace, 'device', { limit: 10 }, Date.now())).map((m) =>
          payloadText(m.envelope),
        );
        expect(texts).toEqual(['one', 'two']);
      } finally {
        await slot.close();
        await writer.close();
        admin.disconnect();
      }
    });
  });
} else {
  describe.skip('redis slot reconnect (no Redis reachable)', () => {
    it('needs a Redis server', () => undefined);
  });
}
