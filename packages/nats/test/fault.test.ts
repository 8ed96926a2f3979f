// The fault test: at-least-once multicasts stream through a coordinator on NATS while the
// server restarts (twice) and the subscribers' connections are dropped: nothing is lost, each
// identity sees its messages in order, and a duplicate only ever repeats a message id.
import {
  createMemoryRegistry,
  createMuster,
  type DurabilitySlot,
  type MessagingSlot,
  type Muster,
  type MusterError,
  type Subscription,
} from '@muster/core';
import { afterAll, expect, it } from 'vitest';
import { createJetStreamDurability, createNatsMessaging } from '../src/index.js';
import { NatsServerProcess } from './support/nats-server-process.js';
import { uniquePrefix } from './support/nats-url.js';
import { TcpProxy } from './support/tcp-proxy.js';

const IDENTITIES = 20;
const MULTICASTS = 150;
const NAMESPACE = 'fault';

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

interface Received {
  readonly messageId: string;
  readonly text: string;
}

/** Reads one identity's subscription until closed, acking everything (acks may fail meanwhile). */
async function consume(subscription: Subscription, into: Received[]): Promise<void> {
  for await (const message of subscription) {
    into.push({ messageId: message.messageId, text: new TextDecoder().decode(message.payload) });
    await message.ack().catch(() => undefined);
  }
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
  const config = {
    namespaces: {
      // Room for the coordinator's own retries (same message ids) to span a restart.
      [NAMESPACE]: { multicastTimeoutMs: 60_000, multicastRetries: 40 },
    },
    sweepIntervalMs: 0,
  };
  // The publisher talks to the server directly; the subscribers go through the proxy.
  const publisher: Muster = createMuster({
    registry,
    messaging: await open(createNatsMessaging({ servers: server.url, subjectPrefix: prefix })),
    durability: await open(
      createJetStreamDurability({ servers: server.url, subjectPrefix: prefix, retention: {} }),
    ),
    ...config,
  });
  const subscriberSide: Muster = createMuster({
    registry,
    messaging: await open(createNatsMessaging({ servers: proxy.url, subjectPrefix: prefix })),
    durability: await open(
      createJetStreamDurability({ servers: proxy.url, subjectPrefix: prefix, retention: {} }),
    ),
    ...config,
  });
  const ids = Array.from({ length: IDENTITIES }, (_, i) => `device-${i}`);
  for (const identity of ids) await publisher.register(NAMESPACE, { identity });
  const received = new Map(ids.map((id) => [id, [] as Received[]]));
  const subscriptions = new Map<string, Subscription>();
  const readers: Promise<void>[] = [];
  const subscribe = async (identity: string): Promise<void> => {
    const subscription = await whenReconnected(() => subscriberSide.subscribe(NAMESPACE, identity));
    subscriptions.set(identity, subscription);
    readers.push(consume(subscription, received.get(identity)!));
  };
  for (const identity of ids) await subscribe(identity);

  const faults: string[] = [];
  for (let k = 0; k < MULTICASTS; k++) {
    if (k === 40 || k === 110) {
      // A server restart mid-stream (a clean stop: JetStream syncs its store).
      await server.stop();
      faults.push(`restart at ${k}`);
      setTimeout(() => void server.start(), 300);
    }
    if (k === 75) faults.push(`dropped ${proxy.cut()} subscriber connections at ${k}`);
    if (k === 90) {
      // Half the subscribers go away and come back: their backlog is redelivered.
      const leaving = ids.slice(0, IDENTITIES / 2);
      await Promise.all(leaving.map((id) => subscriptions.get(id)!.close()));
      faults.push(`re-subscribed ${leaving.length} identities at ${k}`);
      for (const identity of leaving) await subscribe(identity);
    }
    const report = await publisher.multicast(NAMESPACE, {
      payload: `${k}`,
      delivery: 'at-least-once',
    });
    const notQueued = report.deliveries.filter((d) => d.status !== 'QUEUED');
    expect(notQueued, `multicast ${k}`).toEqual([]);
    expect(report.targetCount).toBe(IDENTITIES);
  }

  const complete = (): boolean =>
    ids.every((id) => new Set(received.get(id)!.map((r) => r.text)).size === MULTICASTS);
  const deadline = Date.now() + 60_000;
  while (!complete() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

  let duplicates = 0;
  for (const identity of ids) {
    const list = received.get(identity)!;
    const firstSeen: string[] = [];
    const idOf = new Map<string, string>();
    for (const { messageId, text } of list) {
      const known = idOf.get(text);
      if (known === undefined) {
        idOf.set(text, messageId);
        firstSeen.push(text);
      } else {
        duplicates++;
        expect(messageId, `a duplicate of ${text} for ${identity} repeats its id`).toBe(known);
      }
    }
    expect(firstSeen, `${identity}: every message, in order`).toEqual(
      Array.from({ length: MULTICASTS }, (_, k) => `${k}`),
    );
  }
  console.log(
    `fault test: ${IDENTITIES * MULTICASTS} deliveries, ${duplicates} duplicates (same ids); ${faults.join('; ')}`,
  );
  for (const subscription of subscriptions.values()) await subscription.close();
  await Promise.all(readers);
  await publisher.close();
  await subscriberSide.close();
}, 180_000);
