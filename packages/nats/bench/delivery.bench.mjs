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
 *   --receiver callback             how the fleet receives: callback (default: coordinator
 *                                   subscriptions with an onMessage callback), iterator (the
 *                                   same, read with `for await`), or slot (at-most-once only:
 *                                   counted in the messaging slot's callbacks, no coordinator
 *                                   subscriptions; the NATS slot's own share)
 * NATS_URL (default nats://127.0.0.1:4222) must run JetStream for the at-least-once rows;
 * FLEET_NODE_OPTIONS passes Node flags to the child fleet (e.g. --trace-gc).
 */
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createMemoryRegistry, createMuster } from '@muster/core';
import { benchOption, runDeliveryBench } from '../../../tooling/bench/run-delivery-bench.mjs';
import { createJetStreamDurability, createNatsMessaging } from '../dist/index.js';
import { startProfile } from './cpu-profile.mjs';
import { openFleet } from './subscriber-fleet.mjs';

const SUBSCRIBERS = benchOption('subscribers', 'child');
const BATCH = Number(benchOption('batch', '500'));
const PROFILE_DIR = benchOption('profile', undefined);
const RECEIVER = benchOption('receiver', 'callback');
if (!['callback', 'iterator', 'slot'].includes(RECEIVER))
  throw new Error('--receiver is callback, iterator or slot');
if (RECEIVER === 'slot' && !['', 'none'].includes(benchOption('alo', '1000,10000')))
  throw new Error('--receiver slot is for at-most-once only: add --alo none');
if (SUBSCRIBERS !== 'child' && SUBSCRIBERS !== 'same')
  throw new Error('--subscribers is child or same');
const servers = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const prefix = `bench-${process.pid}-${Date.now().toString(36)}`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const epochNow = () => performance.timeOrigin + performance.now();

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
    subscribeMs: fleet.subscribeMs,
    count: () => fleet.request({ type: 'count' }, 'count'),
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

await runDeliveryBench({
  title: `NATS delivery benchmark against ${servers}`,
  details: `; subscribers: ${SUBSCRIBERS === 'child' ? 'a child process' : 'this process'}${RECEIVER === 'slot' ? ', counted in the messaging slot callbacks (no coordinator subscriptions)' : RECEIVER === 'iterator' ? ', coordinator subscriptions read with for await' : ', coordinator subscriptions with onMessage callbacks'}; multicastBatchSize ${BATCH}`,
  cpuNote:
    SUBSCRIBERS === 'child'
      ? 'CPU µs/msg: per message delivered, median round; publisher = this process from multicast to last delivery, subscriber = the fleet from arming to last delivery (at-least-once: until its acks settled); nats-server not included.'
      : 'CPU µs/msg: per message delivered, median round; this one process (publisher and subscribers) from arming to last delivery (at-least-once: until the acks settled); nats-server not included.',
  cpuColumns:
    SUBSCRIBERS === 'child'
      ? [
          { label: 'publisher CPU µs/msg', field: 'publisherCpuMs', perMessage: true },
          { label: 'subscriber CPU µs/msg', field: 'subscriberCpuMs', perMessage: true },
        ]
      : // One process: the fleet's window (to the last delivery, or to its settled acks) covers both sides.
        [{ label: 'process CPU µs/msg', field: 'subscriberCpuMs', perMessage: true }],
  maxRounds: { at100000: 5, atLeastOnce: 5 },
  setUp,
  once,
  profile:
    PROFILE_DIR === undefined
      ? undefined
      : async (setup, name) => {
          const profile = await startProfile(PROFILE_DIR, `publisher-${name}`);
          await setup.fleet.request(
            { type: 'profile', dir: PROFILE_DIR, name: `subscriber-${name}` },
            'profiling',
          );
          return async () => {
            await profile.stop();
            await setup.fleet.request({ type: 'profile-stop' }, 'profile-stopped');
          };
        },
});
// Clean up the bench's streams on the shared server.
const { jetstreamManager } = await import('@nats-io/jetstream');
const { connect } = await import('@nats-io/transport-node');
const nc = await connect({ servers });
const manager = await jetstreamManager(nc);
for await (const name of manager.streams.names())
  if (name.startsWith(`${prefix}_Q_`)) await manager.streams.delete(name);
await nc.close();
