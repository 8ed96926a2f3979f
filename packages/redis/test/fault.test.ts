// The fault test: at-least-once multicasts stream through a coordinator on Redis (redis
// registry, messaging and durability) while a private server (appendonly, fsync always) restarts
// twice and the subscriber side's connections are killed: nothing is lost, each identity sees
// its messages in order, and a duplicate only ever repeats a message id.
import {
  expectAtLeastOnceInOrder,
  faultStreamMusterOptions,
  multicastThroughFaults,
} from '@muster/conformance';
import {
  createMuster,
  type DurabilitySlot,
  type MessagingSlot,
  type Muster,
  MusterError,
  type RegistrySlot,
} from '@muster/core';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { createRedisDurability, createRedisMessaging, createRedisRegistry } from '../src/index.js';
import { killConnections } from './support/kill-connections.js';
import { RedisServerProcess } from './support/redis-server-process.js';

const IDENTITIES = 20;
const MULTICASTS = 150;
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

/**
 * Sends one at-least-once multicast, asking again when it is rejected with UNAVAILABLE: the
 * coordinator retries failed fan-out batches itself (same message ids), but not the target lookup
 * in the registry, which fails while the server restarts. A rejected multicast queued nothing (it
 * fails before any message id exists), so asking again is safe; `lookups` counts the retries.
 */
async function askAgainWhenUnavailable<T>(send: () => Promise<T>, lookups: { retried: number }) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!MusterError.is(error, 'UNAVAILABLE') || attempt >= 100) throw error;
      lookups.retried++;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

it('restarts and killed subscriber connections lose nothing and keep per-identity order', async () => {
  const url = server.url;
  const publisher: Muster = createMuster({
    registry: open(createRedisRegistry({ url })),
    messaging: open(createRedisMessaging({ url })),
    durability: open(createRedisDurability({ url, retention: {} })),
    ...faultStreamMusterOptions,
  });
  // The subscriber side's connections carry a name, so the test can kill exactly those.
  const named = { url, connectionName: SUBSCRIBER_SIDE };
  const subscriberSide: Muster = createMuster({
    registry: open(createRedisRegistry(named)),
    messaging: open(createRedisMessaging(named)),
    durability: open(createRedisDurability({ ...named, retention: {} })),
    ...faultStreamMusterOptions,
  });
  const admin = new Redis(url, { maxRetriesPerRequest: 1 });
  admin.on('error', () => undefined);
  const lookups = { retried: 0 };
  const windows: { from: number; to: number }[] = [];
  const restarts: Promise<void>[] = [];
  let overlapping = 0;
  try {
    const { receipts, texts, faults } = await multicastThroughFaults({
      publisher,
      subscriberSide,
      identities: IDENTITIES,
      multicasts: MULTICASTS,
      async multicast(send) {
        const started = performance.now();
        const report = await askAgainWhenUnavailable(send, lookups);
        const ended = performance.now();
        for (const window of windows) if (started < window.to && ended > window.from) overlapping++;
        return report;
      },
      async beforeMulticast(k, control) {
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
          return `${signal} restart`;
        }
        if (k === 75) {
          const killed = await killConnections(admin, SUBSCRIBER_SIDE);
          expect(killed, 'subscriber-side connections killed').toBeGreaterThanOrEqual(2);
          return `killed ${killed} subscriber-side connections`;
        }
        // Half the subscribers go away and come back: their backlog is redelivered.
        if (k === 90) return control.resubscribe(IDENTITIES / 2);
        return undefined;
      },
    });
    await Promise.all(restarts);
    // The restarts happened during the stream, not between multicasts.
    expect(overlapping, 'multicasts in flight while the server was down').toBeGreaterThan(0);
    const summary = expectAtLeastOnceInOrder(receipts, texts);
    console.log(
      `fault test: ${summary}; ${lookups.retried} rejected target lookups asked again; ${overlapping} multicasts overlapped a restart; ${faults.join('; ')}`,
    );
  } finally {
    admin.disconnect();
  }
  await publisher.close();
  await subscriberSide.close();
}, 180_000);
