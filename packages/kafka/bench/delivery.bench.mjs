// End-to-end delivery benchmark: createMuster on an in-memory registry with the Kafka messaging
// and durability slots, real subscriptions that count (and, at-least-once, ack) every message.
//   pnpm --filter @muster/kafka bench [-- --sizes 100,1000,10000,100000] [--modes at-most-once,at-least-once]
//                                     [--sustained-seconds 10] [--sustained-targets 1000] [--batch-size 500]
// Needs the broker (tooling/kafka/start.sh) at KAFKA_BROKERS (default 127.0.0.1:9092).
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createMemoryRegistry, createMuster } from '@muster/core';
import { Kafka, logLevel } from 'kafkajs';
import { createKafkaDurability, createKafkaMessaging } from '../dist/index.js';

const { values } = parseArgs({
  // pnpm passes a literal '--' through.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    sizes: { type: 'string', default: '100,1000,10000,100000' },
    modes: { type: 'string', default: 'at-most-once,at-least-once' },
    'sustained-seconds': { type: 'string', default: '10' },
    'sustained-targets': { type: 'string', default: '1000' },
    'wait-ms': { type: 'string', default: '120000' },
    // Envelopes per slot call in the coordinator's fan-out (its multicastBatchSize).
    'batch-size': { type: 'string', default: '500' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const modes = values.modes.split(',');
const sustainedSeconds = Number(values['sustained-seconds']);
const sustainedTargets = Number(values['sustained-targets']);
const waitMs = Number(values['wait-ms']);
const prefix = `muster-bench-${randomUUID().slice(0, 8)}`;
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

const CONFIG = {
  multicastTimeoutMs: 300_000,
  multicastRetries: 10,
  multicastBatchSize: Number(values['batch-size']),
};
console.log(
  `kafka delivery bench: brokers ${brokers.join(',')}, coordinator config ${JSON.stringify(CONFIG)}`,
);

/** A coordinator on fresh Kafka slots; `close` closes both (the coordinator leaves given slots open). */
function makeMuster(namespace) {
  const messaging = createKafkaMessaging({ topicPrefix: prefix, brokers });
  const durability = createKafkaDurability({ topicPrefix: prefix, brokers });
  const muster = createMuster({
    registry: createMemoryRegistry(),
    messaging,
    durability,
    sweepIntervalMs: 0,
    namespaces: { [namespace]: CONFIG },
  });
  muster.closeAll = async () => {
    await muster.close();
    await Promise.all([messaging.close(), durability.close()]);
  };
  return muster;
}

/** Registers and subscribes `count` identities; each subscription counts per multicast id. */
async function setUp(muster, namespace, count, ack) {
  const received = new Map(); // multicastId -> { count, last }
  const ids = Array.from({ length: count }, (_, i) => `device-${i}`);
  for (const identity of ids) await muster.register(namespace, { identity, ttlMs: 3_600_000 });
  const subscriptions = [];
  for (let i = 0; i < count; i += 1000) {
    const chunk = await Promise.all(
      ids.slice(i, i + 1000).map((id) => muster.subscribe(namespace, id)),
    );
    subscriptions.push(...chunk);
  }
  for (const subscription of subscriptions) {
    void (async () => {
      const seen = new Set();
      for await (const message of subscription) {
        if (ack) void message.ack().catch(() => undefined);
        if (seen.has(message.messageId)) continue; // a redelivery counts once
        seen.add(message.messageId);
        let entry = received.get(message.multicastId);
        if (entry === undefined) {
          entry = { count: 0, last: 0 };
          received.set(message.multicastId, entry);
        }
        entry.count++;
        entry.last = performance.now();
      }
    })();
  }
  return { received, subscriptions };
}

async function waitFor(check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
}

const rows = [];
for (const mode of modes) {
  for (const size of sizes) {
    const namespace = `bench-${mode}-${size}`;
    const muster = makeMuster(namespace);
    try {
      const { received } = await setUp(muster, namespace, size, mode !== 'at-most-once');
      // Warm-up: topics, consumer groups and connections are made before the measured run.
      const warm = await muster.multicast(namespace, { payload: 'warm-up', delivery: mode });
      await waitFor(() => (received.get(warm.multicastId)?.count ?? 0) >= size, waitMs);
      globalThis.gc?.();
      const started = performance.now();
      const report = await muster.multicast(namespace, {
        payload: JSON.stringify({ command: 'ping', at: Date.now() }),
        delivery: mode,
      });
      const returned = performance.now() - started;
      await waitFor(() => (received.get(report.multicastId)?.count ?? 0) >= size, waitMs);
      const entry = received.get(report.multicastId) ?? { count: 0, last: started };
      const lastMs = entry.last - started;
      const accepted = report.deliveries.filter(
        (d) => d.status === 'SENT' || d.status === 'QUEUED',
      ).length;
      rows.push({
        mode,
        targets: size,
        'report (ms)': returned.toFixed(1),
        'last subscriber (ms)': lastMs.toFixed(1),
        'msgs/s': Math.round(entry.count / (lastMs / 1000)),
        accepted,
        delivered: `${((100 * entry.count) / size).toFixed(2)}%`,
      });
      console.log(JSON.stringify(rows.at(-1)));
    } finally {
      await muster.closeAll();
    }
  }
}
console.table(rows);

// Sustained: back-to-back at-most-once multicasts to the same 1,000 subscribers.
if (sustainedSeconds > 0) {
  const namespace = 'bench-sustained';
  const muster = makeMuster(namespace);
  try {
    const { received } = await setUp(muster, namespace, sustainedTargets, false);
    const warm = await muster.multicast(namespace, { payload: 'warm-up' });
    await waitFor(() => (received.get(warm.multicastId)?.count ?? 0) >= sustainedTargets, waitMs);
    received.clear();
    const ids = [];
    const started = performance.now();
    const endAt = started + sustainedSeconds * 1000;
    const inFlight = 4;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (performance.now() < endAt) {
          const report = await muster.multicast(namespace, { payload: 'tick' });
          ids.push(report.multicastId);
        }
      }),
    );
    const sentMs = performance.now() - started;
    const expected = ids.length * sustainedTargets;
    const total = () => ids.reduce((sum, id) => sum + (received.get(id)?.count ?? 0), 0);
    await waitFor(() => total() >= expected, waitMs);
    const drainedMs = performance.now() - started;
    const sustained = {
      targets: sustainedTargets,
      'multicasts in flight': inFlight,
      multicasts: ids.length,
      'multicasts/s': (ids.length / (sentMs / 1000)).toFixed(1),
      'deliveries/s': Math.round(total() / (drainedMs / 1000)),
      delivered: `${((100 * total()) / expected).toFixed(2)}%`,
    };
    console.table([sustained]);
  } finally {
    await muster.closeAll();
  }
}

// Clean up the bench's topics and groups.
const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
await admin.connect();
const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`));
if (topics.length > 0) await admin.deleteTopics({ topics });
await admin.disconnect();
