// The fault test: at-least-once multicasts stream through a coordinator on Redis (redis
// registry, messaging and durability) while a private server (appendonly, fsync always) restarts
// twice and the subscriber side's connections are killed: nothing is lost, each identity sees
// its messages in order, and a duplicate only ever repeats a message id.
import {
  createMuster,
  type DurabilitySlot,
  type MessagingSlot,
  type MulticastReport,
  type Muster,
  MusterError,
  type RegistrySlot,
  type Subscription,
} from '@muster/core';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { createRedisDurability, createRedisMessaging, createRedisRegistry } from '../src/index.js';
import { killConnections } from './support/kill-connections.js';
import { RedisServerProcess } from './support/redis-server-process.js';

const IDENTITIES = 20;
const MULTICASTS = 150;
const NAMESPACE = 'fault';
const SUBSCRIBER_SIDE = `muster-fault-subscriber-${process.pid}`;

const server = await RedisServerProcess.launch();
const slots: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const slot of slots.reverse()) await slot.close().catch(() => undefined);
  await server.destroy();
});

function open<T extends MessagingSlot | DurabilitySlot | RegistrySlot>(slot: T): T {
  slots.push(slot);
  return slot;
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
 * One at-least-once multicast, asked again when it is rejected with UNAVAILABLE: the coordinator
 * retries failed fan-out batches itself (same message ids), but not the target lookup in the
 * registry, which fails while the server restarts. A rejected multicast queued nothing (it
 * fails before any message id exists), so asking again is safe; `lookups` counts the retries.
 */
async function multicast(muster: Muster, text: string, lookups: { retried: number }) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await muster.multicast(NAMESPACE, { payload: text, delivery: 'at-least-once' });
    } catch (error) {
      if (!MusterError.is(error, 'UNAVAILABLE') || attempt >= 100) throw error;
      lookups.retried++;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

it('restarts and killed subscriber connections lose nothing and keep per-identity order', async () => {
  const url = server.url;
  const config = {
    namespaces: {
      // Room for the coordinator's own retries (same message ids) to span a restart.
      [NAMESPACE]: { multicastTimeoutMs: 60_000, multicastRetries: 40 },
    },
    sweepIntervalMs: 0,
  };
  const publisher: Muster = createMuster({
    registry: open(createRedisRegistry({ url })),
    messaging: open(createRedisMessaging({ url })),
    durability: open(createRedisDurability({ url, retention: {} })),
    ...config,
  });
  // The subscriber side's connections carry a name, so the test can kill exactly those.
  const named = { url, connectionName: SUBSCRIBER_SIDE };
  const subscriberSide: Muster = createMuster({
    registry: open(createRedisRegistry(named)),
    messaging: open(createRedisMessaging(named)),
    durability: open(createRedisDurability({ ...named, retention: {} })),
    ...config,
  });
  const ids = Array.from({ length: IDENTITIES }, (_, i) => `device-${i}`);
  for (const identity of ids) await publisher.register(NAMESPACE, { identity });
  const received = new Map(ids.map((id) => [id, [] as Received[]]));
  const subscriptions = new Map<string, Subscription>();
  const readers: Promise<void>[] = [];
  const subscribe = async (identity: string): Promise<void> => {
    const subscription = await subscriberSide.subscribe(NAMESPACE, identity);
    subscriptions.set(identity, subscription);
    readers.push(consume(subscription, received.get(identity)!));
  };
  for (const identity of ids) await subscribe(identity);

  const admin = new Redis(url, { maxRetriesPerRequest: 1 });
  admin.on('error', () => undefined);
  const faults: string[] = [];
  const lookups = { retried: 0 };
  const windows: { from: number; to: number }[] = [];
  const restarts: Promise<void>[] = [];
  let overlapping = 0;
  try {
    for (let k = 0; k < MULTICASTS; k++) {
      if (k === 40 || k === 110) {
        // A restart while multicasts go on (not awaited): a clean stop at 40, a kill -9 at 110
        // (appendfsync always: whatever Redis acknowledged is on disk either way).
        const signal = k === 40 ? 'SIGTERM' : 'SIGKILL';
        const window = { from: performance.now(), to: Number.POSITIVE_INFINITY };
        windows.push(window);
        restarts.push(
          (async () => {
            await server.stop(signal);
            await new Promise((resolve) => setTimeout(resolve, 300));
            await server.start();
            window.to = performance.now();
          })(),
        );
        faults.push(`${signal} restart at ${k}`);
      }
      if (k === 75) {
        const killed = await killConnections(admin, SUBSCRIBER_SIDE);
        expect(killed, 'subscriber-side connections killed').toBeGreaterThanOrEqual(2);
        faults.push(`killed ${killed} subscriber-side connections at ${k}`);
      }
      if (k === 90) {
        // Half the subscribers go away and come back: their backlog is redelivered.
        const leaving = ids.slice(0, IDENTITIES / 2);
        await Promise.all(leaving.map((id) => subscriptions.get(id)!.close()));
        faults.push(`re-subscribed ${leaving.length} identities at ${k}`);
        for (const identity of leaving) await subscribe(identity);
      }
      const started = performance.now();
      const report: MulticastReport = await multicast(publisher, `${k}`, lookups);
      const ended = performance.now();
      for (const window of windows) if (started < window.to && ended > window.from) overlapping++;
      const notQueued = report.deliveries.filter((d) => d.status !== 'QUEUED');
      expect(notQueued, `multicast ${k}`).toEqual([]);
      expect(report.targetCount).toBe(IDENTITIES);
    }

    await Promise.all(restarts);
    // The restarts happened during the stream, not between multicasts.
    expect(overlapping, 'multicasts in flight while the server was down').toBeGreaterThan(0);
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
      `fault test: ${IDENTITIES * MULTICASTS} deliveries, ${duplicates} duplicates (same ids); ${lookups.retried} rejected target lookups asked again; ${overlapping} multicasts overlapped a restart; ${faults.join('; ')}`,
    );
  } finally {
    admin.disconnect();
  }
  for (const subscription of subscriptions.values()) await subscription.close();
  await Promise.all(readers);
  await publisher.close();
  await subscriberSide.close();
}, 180_000);
