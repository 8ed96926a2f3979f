// The fault test: at-least-once multicasts stream through a coordinator on NATS while the
// server restarts (twice) and the subscribers' connections are dropped: nothing is lost, each
// identity sees its messages in order, and a duplicate only ever repeats a message id.
import {
  expectAtLeastOnceInOrder,
  faultStreamMusterOptions,
  multicastThroughFaults,
} from '@muster/conformance';
import {
  createMemoryRegistry,
  createMuster,
  type DurabilitySlot,
  type MessagingSlot,
  type Muster,
  type MusterError,
} from '@muster/core';
import { afterAll, it } from 'vitest';
import { createJetStreamDurability, createNatsMessaging } from '../src/index.js';
import { NatsServerProcess } from './support/nats-server-process.js';
import { uniquePrefix } from './support/nats-url.js';
import { TcpProxy } from './support/tcp-proxy.js';

const IDENTITIES = 20;
const MULTICASTS = 150;

const server = await NatsServerProcess.launch();
const proxy = await TcpProxy.open(server.port);
const slots: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const slot of slots.reverse()) await slot.close().catch(() => undefined);
  await proxy.close();
  await server.destroy();
});

async function open<T extends MessagingSlot | DurabilitySlot>(slot: Promise<T>): Promise<T> {
  const opened = await slot;
  slots.push(opened);
  return opened;
}

/**
 * Subscribing while the connection is reconnecting is UNAVAILABLE (by contract); a subscriber
 * coming back tries again, as a real one would. Multicasts are fast enough now that the
 * re-subscribe can come before the dropped connections are back.
 */
async function whenReconnected<T>(attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if ((error as MusterError).code !== 'UNAVAILABLE' || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

it('restarts and dropped subscriber connections lose nothing and keep per-identity order', async () => {
  const prefix = uniquePrefix('fault');
  const registry = createMemoryRegistry();
  // The publisher talks to the server directly; the subscribers go through the proxy.
  const publisher: Muster = createMuster({
    registry,
    messaging: await open(createNatsMessaging({ servers: server.url, subjectPrefix: prefix })),
    durability: await open(
      createJetStreamDurability({ servers: server.url, subjectPrefix: prefix, retention: {} }),
    ),
    ...faultStreamMusterOptions,
  });
  const subscriberSide: Muster = createMuster({
    registry,
    messaging: await open(createNatsMessaging({ servers: proxy.url, subjectPrefix: prefix })),
    durability: await open(
      createJetStreamDurability({ servers: proxy.url, subjectPrefix: prefix, retention: {} }),
    ),
    ...faultStreamMusterOptions,
  });
  const { receipts, texts, faults } = await multicastThroughFaults({
    publisher,
    subscriberSide,
    identities: IDENTITIES,
    multicasts: MULTICASTS,
    subscribe: whenReconnected,
    async beforeMulticast(k, control) {
      if (k === 40 || k === 110) {
        // A server restart mid-stream (a clean stop: JetStream syncs its store).
        await server.stop();
        setTimeout(() => void server.start(), 300);
        return 'restart';
      }
      if (k === 75) return `dropped ${proxy.cut()} subscriber connections`;
      // Half the subscribers go away and come back: their backlog is redelivered.
      if (k === 90) return control.resubscribe(IDENTITIES / 2);
      return undefined;
    },
  });
  const summary = expectAtLeastOnceInOrder(receipts, texts);
  console.log(`fault test: ${summary}; ${faults.join('; ')}`);
  await publisher.close();
  await subscriberSide.close();
}, 180_000);
