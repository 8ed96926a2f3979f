/**
 * End-to-end delivery on Redis alone (redis registry + redis messaging, + redis durability for
 * at-least-once) through createMuster: a publisher coordinator multicasts to N registered and
 * subscribed identities; a second coordinator (its own Redis connections, same process) holds one
 * real subscription per identity and counts every message it hands to its consumer. Prints, per
 * size: time until the last subscriber has the message (median and worst of the rounds), messages
 * per second, the delivered ratio (counted), and then the sustained multicast rate at 1,000.
 *
 * Run: pnpm --filter @muster/redis bench:delivery (builds first). Options:
 *   --sizes 100,1000,10000,100000   at-most-once sizes
 *   --alo 1000,10000                at-least-once sizes (subscribers ack every message)
 *   --rounds 15                     measured rounds per size after warm-ups (at most 3 at 100,000
 *                                   and 5 at-least-once)
 *   --sustained 3                   seconds of sustained multicast at 1,000 targets (0: skip)
 * REDIS_URL (default redis://127.0.0.1:6379). Keys go under a prefix of their own, deleted at the end.
 */
import { performance } from 'node:perf_hooks';
import { createMuster } from '@muster/core';
import { Redis } from 'ioredis';
import { runDeliveryBench } from '../../../tooling/bench/run-delivery-bench.mjs';
import { createRedisDurability, createRedisMessaging, createRedisRegistry } from '../dist/index.js';
import { unlinkKeys } from './unlink-keys.mjs';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `muster-bench-delivery-${process.pid}`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let setUps = 0;

/** N identities registered, each with a subscription that counts (and acks) what it gets. */
async function setUp(size, delivery) {
  const durable = delivery === 'at-least-once';
  const options = { url, keyPrefix };
  const durableOptions = { ...options, retention: { maxAgeMs: 600_000 } };
  const slots = {
    registry: createRedisRegistry(options),
    publisherMessaging: createRedisMessaging(options),
    publisherDurability: durable ? createRedisDurability(durableOptions) : null,
    receiverMessaging: createRedisMessaging(options),
    receiverDurability: durable ? createRedisDurability(durableOptions) : null,
  };
  const config = { multicastTimeoutMs: 60_000, subscriberBufferSize: 1_000 };
  // A namespace per set-up: the sustained run registers 1,000 identities again.
  const namespace = `${delivery}-${size}-${++setUps}`;
  const namespaces = { [namespace]: config };
  const publisher = createMuster({
    registry: slots.registry,
    messaging: slots.publisherMessaging,
    durability: slots.publisherDurability,
    namespaces,
    sweepIntervalMs: 0,
  });
  const receiver = createMuster({
    registry: slots.registry,
    messaging: slots.receiverMessaging,
    durability: slots.receiverDurability,
    namespaces,
    sweepIntervalMs: 0,
  });
  const counter = {
    received: 0,
    acked: 0,
    ackFailures: 0,
    expected: Number.POSITIVE_INFINITY,
    done: undefined,
    lastAt: 0,
  };
  const registerStarted = performance.now();
  // Registered concurrently (the registry batches concurrent puts into one script call each).
  for (let start = 0; start < size; start += 1_000)
    await Promise.all(
      Array.from({ length: Math.min(1_000, size - start) }, (_, i) =>
        publisher.register(namespace, { identity: `device-${start + i}` }),
      ),
    );
  const registerMs = performance.now() - registerStarted;
  const subscribeStarted = performance.now();
  const subscriptions = await Promise.all(
    Array.from({ length: size }, (_, i) => receiver.subscribe(namespace, `device-${i}`)),
  );
  const subscribeMs = performance.now() - subscribeStarted;
  for (const subscription of subscriptions) {
    void (async () => {
      for await (const message of subscription) {
        counter.received++;
        if (counter.received >= counter.expected && counter.done !== undefined) {
          counter.lastAt = performance.now();
          const done = counter.done;
          counter.done = undefined;
          done();
        }
        if (durable)
          message.ack().then(
            () => counter.acked++,
            () => {
              // Not acked: it stays queued (redelivered to the next subscription); counted.
              counter.acked++;
              counter.ackFailures++;
            },
          );
      }
    })();
  }
  return {
    namespace,
    publisher,
    counter,
    registerMs,
    subscribeMs,
    count: async () => ({ received: counter.received, ackFailures: counter.ackFailures }),
    async tearDown() {
      await Promise.all(subscriptions.map((s) => s.close()));
      await publisher.close();
      await receiver.close();
      for (const slot of Object.values(slots)) await slot?.close();
    },
  };
}

/**
 * One multicast; resolves when the last subscriber has its message (or after 30 s), and
 * at-least-once when every ack has settled too (after the measurement).
 */
async function once(setup, size, delivery, payload) {
  const { counter, publisher, namespace } = setup;
  const target = counter.received + size;
  const arrived = new Promise((resolve) => {
    counter.expected = target;
    counter.done = resolve;
  });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const report = await publisher.multicast(namespace, { payload, delivery });
  const reportedAt = performance.now();
  const finished = await Promise.race([arrived.then(() => true), sleep(30_000).then(() => false)]);
  counter.done = undefined;
  const used = process.cpuUsage(cpu);
  const bad = report.deliveries.filter(
    (d) => d.status !== (delivery === 'at-least-once' ? 'QUEUED' : 'SENT'),
  ).length;
  if (delivery === 'at-least-once') await acksSettled(counter);
  return {
    reportMs: reportedAt - started,
    lastMs: finished ? counter.lastAt - started : Number.NaN,
    cpuMs: (used.user + used.system) / 1000,
    bad,
  };
}

/** Waits (at most 60 s) until every received message's ack has settled. */
async function acksSettled(counter) {
  const deadline = performance.now() + 60_000;
  while (counter.acked < counter.received && performance.now() < deadline) await sleep(5);
}

/** Deletes every key under the bench's prefix (SCAN + UNLINK). */
async function dropKeys() {
  const client = new Redis(url);
  try {
    await unlinkKeys(client, `{${keyPrefix}*`);
  } finally {
    client.disconnect();
  }
}

try {
  await runDeliveryBench({
    title: `Redis delivery benchmark against ${url}`,
    cpuNote:
      'CPU ms: this process (publisher and subscriber coordinators together), multicast to last delivery; redis-server not included.',
    cpuColumns: [{ label: 'CPU ms (median)', field: 'cpuMs', perMessage: false }],
    maxRounds: { at100000: 3, atLeastOnce: 5 },
    setUp,
    once,
  });
} finally {
  await dropKeys();
}
