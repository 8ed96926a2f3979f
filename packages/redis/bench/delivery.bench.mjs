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
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createMuster } from '@muster/core';
import { Redis } from 'ioredis';
import { createRedisDurability, createRedisMessaging, createRedisRegistry } from '../dist/index.js';

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
}
const list = (text) => (text === '' || text === 'none' ? [] : text.split(',').map(Number));
const SIZES = list(option('sizes', '100,1000,10000,100000'));
const ALO_SIZES = list(option('alo', '1000,10000'));
const ROUNDS = Number(option('rounds', '15'));
const SUSTAINED_S = Number(option('sustained', '3'));
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `muster-bench-delivery-${process.pid}`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) =>
  value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);

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
    async tearDown() {
      await Promise.all(subscriptions.map((s) => s.close()));
      await publisher.close();
      await receiver.close();
      for (const slot of Object.values(slots)) await slot?.close();
    },
  };
}

/** One multicast; resolves when the last subscriber has its message (or after 30 s). */
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

async function row(size, delivery) {
  const setup = await setUp(size, delivery);
  try {
    const payload = new Uint8Array(64).fill(7);
    // Warm-up rounds (JIT): the first multicasts of a process cost several times the later ones.
    const warmUps = size <= 10_000 && delivery === 'at-most-once' ? 10 : 1;
    for (let w = 0; w < warmUps; w++) {
      await once(setup, size, delivery, payload);
      if (delivery === 'at-least-once') await acksSettled(setup.counter);
    }
    const rounds =
      size >= 100_000
        ? Math.min(ROUNDS, 3)
        : delivery === 'at-least-once'
          ? Math.min(ROUNDS, 5)
          : ROUNDS;
    const startCount = setup.counter.received;
    const results = [];
    for (let r = 0; r < rounds; r++) {
      results.push(await once(setup, size, delivery, payload));
      if (delivery === 'at-least-once') await acksSettled(setup.counter);
    }
    await sleep(200); // anything late (or duplicated) is counted too
    const delivered = (setup.counter.received - startCount) / (size * rounds);
    const last = results.map((r) => r.lastMs);
    const lastMedian = median(last);
    return {
      targets: size.toLocaleString('en-US'),
      delivery,
      'register all (ms)': ms(setup.registerMs),
      'subscribe all (ms)': ms(setup.subscribeMs),
      'report (ms, median)': ms(median(results.map((r) => r.reportMs))),
      'last subscriber has it (ms, median)': ms(lastMedian),
      'worst (ms)': ms(Math.max(...last)),
      'messages/s': Math.round((size / lastMedian) * 1000).toLocaleString('en-US'),
      'CPU ms (median)': ms(median(results.map((r) => r.cpuMs))),
      delivered: `${(delivered * 100).toFixed(2)}%`,
      'non-SENT/QUEUED': results.reduce((sum, r) => sum + r.bad, 0),
      ...(delivery === 'at-least-once' ? { 'failed acks': setup.counter.ackFailures } : {}),
    };
  } finally {
    await setup.tearDown();
  }
}

/** Multicasts to 1,000 back to back (up to 4 in flight) for SUSTAINED_S seconds. */
async function sustained() {
  const size = 1_000;
  const setup = await setUp(size, 'at-most-once');
  try {
    const payload = new Uint8Array(64).fill(1);
    const startCount = setup.counter.received;
    const until = performance.now() + SUSTAINED_S * 1000;
    let multicasts = 0;
    const worker = async () => {
      while (performance.now() < until) {
        await setup.publisher.multicast(setup.namespace, { payload });
        multicasts++;
      }
    };
    const started = performance.now();
    await Promise.all([worker(), worker(), worker(), worker()]);
    const elapsed = performance.now() - started;
    const deadline = performance.now() + 10_000;
    while (setup.counter.received - startCount < multicasts * size && performance.now() < deadline)
      await sleep(10);
    const received = setup.counter.received - startCount;
    return {
      targets: '1,000',
      'multicasts/s': Math.round((multicasts / elapsed) * 1000).toLocaleString('en-US'),
      'messages/s': Math.round((received / elapsed) * 1000).toLocaleString('en-US'),
      delivered: `${((received / (multicasts * size)) * 100).toFixed(2)}%`,
      seconds: (elapsed / 1000).toFixed(1),
    };
  } finally {
    await setup.tearDown();
  }
}

/** Deletes every key under the bench's prefix (SCAN + UNLINK). */
async function dropKeys() {
  const client = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `{${keyPrefix}*`, 'COUNT', 1_000);
      cursor = next;
      if (keys.length > 0) await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(
  `Redis delivery benchmark against ${url} (node ${process.version}, ${cpus().length} CPUs, load average ${load()}); ${ROUNDS} rounds per size`,
);
console.log(
  'CPU ms: this process (publisher and subscriber coordinators together), multicast to last delivery; redis-server not included.',
);
const rows = [];
try {
  for (const size of SIZES) {
    rows.push(await row(size, 'at-most-once'));
    console.table([rows.at(-1)]);
  }
  for (const size of ALO_SIZES) {
    rows.push(await row(size, 'at-least-once'));
    console.table([rows.at(-1)]);
  }
  console.log(`\nSummary (load average now ${load()})`);
  console.table(rows);
  if (SUSTAINED_S > 0) {
    console.log(
      `\nSustained multicast at 1,000 targets (at-most-once, 4 in flight, ${SUSTAINED_S} s)`,
    );
    console.table([await sustained()]);
  }
} finally {
  await dropKeys();
}
