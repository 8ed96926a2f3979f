/**
 * End-to-end delivery over NATS through createMuster: a publisher coordinator multicasts to N
 * registered identities; a subscriber fleet (bench/subscriber-fleet.mjs: a second coordinator on
 * its own NATS connections, one real subscription per identity) counts every message it hands to
 * its consumer, at-least-once ones acked. By default the fleet is a child process, as subscribers
 * are in a deployment; `--subscribers same` keeps it in this process (both sides then share one
 * event loop). Times are epoch milliseconds from performance.timeOrigin + performance.now() in
 * each process, on the same machine's clock.
 *
 * Prints, per size: time until the last subscriber has the message (median and worst of the
 * rounds), messages per second, CPU time per message of each side, the delivered ratio (counted
 * by the fleet); then the sustained multicast rate at 1,000.
 *
 * Run: pnpm --filter @muster/nats bench (builds first). Options:
 *   --sizes 100,1000,10000,100000   at-most-once sizes
 *   --alo 1000,10000                at-least-once sizes (subscribers ack every message)
 *   --rounds 15                     measured rounds per size after warm-ups (at most 5 at
 *                                   100,000 and at-least-once)
 *   --sustained 3                   seconds of sustained multicast at 1,000 targets (0: skip)
 *   --subscribers child             child (default) or same (the fleet in this process)
 *   --batch 500                     the namespace's multicastBatchSize (core default 500)
 *   --profile DIR                   CPU profiles of the measured rounds, per side and row
 *   --receiver coordinator          coordinator (default: end to end) or slot (at-most-once only:
 *                                   the fleet counts in the messaging slot's callbacks, no
 *                                   coordinator subscriptions; the NATS slot's own share)
 * NATS_URL (default nats://127.0.0.1:4222) must run JetStream for the at-least-once rows;
 * FLEET_NODE_OPTIONS passes Node flags to the child fleet (e.g. --trace-gc).
 */
import { fork } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createMemoryRegistry, createMuster } from '@muster/core';
import { createJetStreamDurability, createNatsMessaging } from '../dist/index.js';
import { startProfile } from './cpu-profile.mjs';
import { openFleet } from './subscriber-fleet.mjs';

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
}
const list = (text) => (text === '' || text === 'none' ? [] : text.split(',').map(Number));
const SIZES = list(option('sizes', '100,1000,10000,100000'));
const ALO_SIZES = list(option('alo', '1000,10000'));
const ROUNDS = Number(option('rounds', '15'));
const SUSTAINED_S = Number(option('sustained', '3'));
const SUBSCRIBERS = option('subscribers', 'child');
const BATCH = Number(option('batch', '500'));
const PROFILE_DIR = option('profile', undefined);
const RECEIVER = option('receiver', 'coordinator');
if (RECEIVER !== 'coordinator' && RECEIVER !== 'slot')
  throw new Error('--receiver is coordinator or slot');
if (RECEIVER === 'slot' && ALO_SIZES.length > 0)
  throw new Error('--receiver slot is for at-most-once only: add --alo none');
if (SUBSCRIBERS !== 'child' && SUBSCRIBERS !== 'same')
  throw new Error('--subscribers is child or same');
const servers = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const prefix = `bench-${process.pid}-${Date.now().toString(36)}`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const epochNow = () => performance.timeOrigin + performance.now();
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) =>
  value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
const perMessage = (cpuMs, size) => (median(cpuMs) * 1000) / size;
const us = (value) => (value >= 10 ? value.toFixed(1) : value.toFixed(2));

/**
 * The fleet behind one interface whichever process it runs in: `request(command, answerType)`
 * sends a command and resolves with the first answer of that type.
 */
async function startFleet(spec) {
  const waiting = new Map();
  const receive = (message) => {
    const waiter = waiting.get(message.type);
    if (waiter === undefined) return; // a 'done' after its round timed out: the round says NaN
    waiting.delete(message.type);
    waiter(message);
  };
  const answer = (type) => new Promise((resolve) => waiting.set(type, resolve));
  if (SUBSCRIBERS === 'same') {
    const fleet = await openFleet(spec, (message) => queueMicrotask(() => receive(message)));
    return {
      subscribeMs: fleet.subscribeMs,
      request(command, type) {
        const answered = answer(type);
        void fleet.handle(command);
        return answered;
      },
      answer,
      exited: Promise.resolve(),
    };
  }
  const child = fork(
    fileURLToPath(new URL('./subscriber-fleet.mjs', import.meta.url)),
    ['--child'],
    {
      execArgv: process.env.FLEET_NODE_OPTIONS ? process.env.FLEET_NODE_OPTIONS.split(' ') : [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.on('message', receive);
  child.once('exit', (code) => {
    if (code !== 0) {
      console.error(`the subscriber fleet exited with ${code}`);
      process.exit(1);
    }
  });
  const opened = answer('open');
  child.send({ type: 'open', ...spec });
  const { subscribeMs } = await opened;
  return {
    subscribeMs,
    request(command, type) {
      const answered = answer(type);
      child.send(command);
      return answered;
    },
    answer,
    exited,
  };
}

/** N identities registered with the publisher, and a fleet subscribed to each of them. */
async function setUp(size, delivery) {
  const durable = delivery === 'at-least-once';
  const messaging = await createNatsMessaging({ servers, subjectPrefix: prefix });
  const durability = durable
    ? await createJetStreamDurability({
        servers,
        subjectPrefix: prefix,
        retention: { maxAgeMs: 600_000 },
      })
    : null;
  const config = {
    multicastTimeoutMs: 60_000,
    subscriberBufferSize: 1_000,
    multicastBatchSize: BATCH,
  };
  const namespace = `${delivery}-${size}`;
  const publisher = createMuster({
    registry: createMemoryRegistry(),
    messaging,
    durability,
    namespaces: { [namespace]: config },
    sweepIntervalMs: 0,
  });
  for (let i = 0; i < size; i++) await publisher.register(namespace, { identity: `device-${i}` });
  const fleet = await startFleet({
    servers,
    prefix,
    namespace,
    size,
    delivery,
    config,
    receiver: RECEIVER,
  });
  return {
    namespace,
    publisher,
    fleet,
    async tearDown() {
      await fleet.request({ type: 'close' }, 'closed');
      await fleet.exited;
      await publisher.close();
      await messaging.close();
      await durability?.close();
    },
  };
}

/** One multicast; resolves when the fleet has counted the last message (or after 30 s). */
async function once(setup, size, delivery, payload) {
  const { fleet, publisher, namespace } = setup;
  await fleet.request({ type: 'arm', expected: size }, 'armed');
  const done = fleet.answer('done');
  const cpu = process.cpuUsage();
  const started = epochNow();
  const report = await publisher.multicast(namespace, { payload, delivery });
  const reportedAt = epochNow();
  const arrived = await Promise.race([done, sleep(30_000).then(() => undefined)]);
  const used = process.cpuUsage(cpu);
  let subscriberCpuMs = arrived?.cpuMs ?? Number.NaN;
  if (delivery === 'at-least-once')
    subscriberCpuMs = (await fleet.request({ type: 'settle' }, 'settled')).cpuMs;
  const bad = report.deliveries.filter(
    (d) => d.status !== (delivery === 'at-least-once' ? 'QUEUED' : 'SENT'),
  ).length;
  return {
    reportMs: reportedAt - started,
    lastMs: arrived === undefined ? Number.NaN : arrived.lastAt - started,
    publisherCpuMs: (used.user + used.system) / 1000,
    subscriberCpuMs,
    bad,
  };
}

async function row(size, delivery) {
  const setup = await setUp(size, delivery);
  try {
    const payload = new Uint8Array(64).fill(7);
    // Warm-up rounds (JIT): the first multicasts of a process cost several times the later ones.
    const warmUps = size <= 10_000 && delivery === 'at-most-once' ? 10 : 1;
    for (let w = 0; w < warmUps; w++) await once(setup, size, delivery, payload);
    const rounds = size >= 100_000 || delivery === 'at-least-once' ? Math.min(ROUNDS, 5) : ROUNDS;
    const { received: startCount } = await setup.fleet.request({ type: 'count' }, 'count');
    const name = `${delivery}-${size}`;
    let profile;
    if (PROFILE_DIR !== undefined) {
      profile = await startProfile(PROFILE_DIR, `publisher-${name}`);
      await setup.fleet.request(
        { type: 'profile', dir: PROFILE_DIR, name: `subscriber-${name}` },
        'profiling',
      );
    }
    const results = [];
    for (let r = 0; r < rounds; r++) results.push(await once(setup, size, delivery, payload));
    if (profile !== undefined) {
      await profile.stop();
      await setup.fleet.request({ type: 'profile-stop' }, 'profile-stopped');
    }
    await sleep(200); // anything late (or duplicated) is counted too
    const counted = await setup.fleet.request({ type: 'count' }, 'count');
    const delivered = (counted.received - startCount) / (size * rounds);
    const last = results.map((r) => r.lastMs);
    const lastMedian = median(last);
    return {
      targets: size.toLocaleString('en-US'),
      delivery,
      'subscribe all (ms)': ms(setup.fleet.subscribeMs),
      'report (ms, median)': ms(median(results.map((r) => r.reportMs))),
      'last subscriber has it (ms, median)': ms(lastMedian),
      'worst (ms)': ms(Math.max(...last)),
      'messages/s': Math.round((size / lastMedian) * 1000).toLocaleString('en-US'),
      ...(SUBSCRIBERS === 'child'
        ? {
            'publisher CPU µs/msg': us(
              perMessage(
                results.map((r) => r.publisherCpuMs),
                size,
              ),
            ),
            'subscriber CPU µs/msg': us(
              perMessage(
                results.map((r) => r.subscriberCpuMs),
                size,
              ),
            ),
          }
        : // One process: the fleet's window (to the last delivery, or to its settled acks) covers both sides.
          {
            'process CPU µs/msg': us(
              perMessage(
                results.map((r) => r.subscriberCpuMs),
                size,
              ),
            ),
          }),
      delivered: `${(delivered * 100).toFixed(2)}%`,
      'non-SENT/QUEUED': results.reduce((sum, r) => sum + r.bad, 0),
      ...(delivery === 'at-least-once' ? { 'failed acks': counted.ackFailures } : {}),
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
    const { received: startCount } = await setup.fleet.request({ type: 'count' }, 'count');
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
    let received = 0;
    const deadline = performance.now() + 10_000;
    do {
      await sleep(20);
      received = (await setup.fleet.request({ type: 'count' }, 'count')).received - startCount;
    } while (received < multicasts * size && performance.now() < deadline);
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

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(
  `NATS delivery benchmark against ${servers} (node ${process.version}, ${cpus().length} CPUs, load average ${load()}); ${ROUNDS} rounds per size; subscribers: ${SUBSCRIBERS === 'child' ? 'a child process' : 'this process'}${RECEIVER === 'slot' ? ', counted in the messaging slot callbacks (no coordinator subscriptions)' : ''}; multicastBatchSize ${BATCH}`,
);
console.log(
  SUBSCRIBERS === 'child'
    ? 'CPU µs/msg: per message delivered, median round; publisher = this process from multicast to last delivery, subscriber = the fleet from arming to last delivery (at-least-once: until its acks settled); nats-server not included.'
    : 'CPU µs/msg: per message delivered, median round; this one process (publisher and subscribers) from arming to last delivery (at-least-once: until the acks settled); nats-server not included.',
);
const rows = [];
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
// Clean up the bench's streams on the shared server.
const { jetstreamManager } = await import('@nats-io/jetstream');
const { connect } = await import('@nats-io/transport-node');
const nc = await connect({ servers });
const manager = await jetstreamManager(nc);
for await (const name of manager.streams.names())
  if (name.startsWith(`${prefix}_Q_`)) await manager.streams.delete(name);
await nc.close();
