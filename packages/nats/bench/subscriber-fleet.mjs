/**
 * The receiving side of the delivery benchmark: a coordinator on its own NATS connections (and
 * its own in-memory registry: subscribing needs none) holding one real subscription per identity,
 * counting every message it hands to its consumer (at-least-once: acking each one too). It runs
 * in a child process (a subscriber fleet is another process in a real deployment) or, with
 * `--subscribers same`, inside the publisher's process. `receiver` says how it receives:
 * 'callback', coordinator subscriptions with an onMessage callback (what a gateway holding
 * thousands of identities would use); 'iterator', the same read with `for await` (an async
 * iterator and a pending promise per identity); 'slot' (at-most-once only), no coordinator at
 * all, counted in the messaging slot's own callbacks: the NATS slot's share of the cost.
 *
 * It is driven by small commands, answered through `send`:
 *   { type: 'arm', expected }   → { type: 'armed' }, then { type: 'done', lastAt, cpuMs } once
 *                                 `expected` more messages have arrived (lastAt: epoch ms from
 *                                 performance.timeOrigin + performance.now(), comparable across
 *                                 the processes of one machine)
 *   { type: 'settle' }          → { type: 'settled', cpuMs } once every received message's ack
 *                                 has settled (cpuMs: since the last 'arm', acks included)
 *   { type: 'count' }           → { type: 'count', received, ackFailures }
 *   { type: 'profile', dir, name } / { type: 'profile-stop' } → a CPU profile of this side
 *   { type: 'close' }           → { type: 'closed' }
 */
import { performance } from 'node:perf_hooks';
import { createMemoryRegistry, createMuster } from '@muster/core';
import { createJetStreamDurability, createNatsMessaging } from '../dist/index.js';
import { startProfile } from './cpu-profile.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const epochNow = () => performance.timeOrigin + performance.now();
const cpuMs = (since) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** Opens the fleet: resolves once every subscription is live. */
export async function openFleet(
  { servers, prefix, namespace, size, delivery, config, receiver },
  send,
) {
  const durable = delivery === 'at-least-once';
  const messaging = await createNatsMessaging({ servers, subjectPrefix: prefix });
  const durability = durable
    ? await createJetStreamDurability({
        servers,
        subjectPrefix: prefix,
        retention: { maxAgeMs: 600_000 },
      })
    : null;
  const muster = createMuster({
    registry: createMemoryRegistry(),
    messaging,
    durability,
    namespaces: { [namespace]: config },
    sweepIntervalMs: 0,
  });
  const counter = { received: 0, acked: 0, ackFailures: 0, target: Number.POSITIVE_INFINITY };
  let armedCpu = process.cpuUsage();
  let profile;
  const subscribeStarted = performance.now();
  const onMessage = () => {
    if (++counter.received === counter.target) {
      counter.target = Number.POSITIVE_INFINITY;
      send({ type: 'done', lastAt: epochNow(), cpuMs: cpuMs(armedCpu) });
    }
  };
  const onAcked = () => counter.acked++;
  const onAckFailed = () => {
    // Not acked: it stays queued (redelivered to the next subscription); counted.
    counter.acked++;
    counter.ackFailures++;
  };
  const receive = (message) => {
    onMessage();
    if (durable) message.ack().then(onAcked, onAckFailed);
  };
  const subscriptions = await Promise.all(
    Array.from({ length: size }, (_, i) =>
      receiver === 'slot'
        ? messaging.subscribe(namespace, `device-${i}`, onMessage).then((close) => ({ close }))
        : receiver === 'callback'
          ? muster.subscribe(namespace, `device-${i}`, { onMessage: receive })
          : muster.subscribe(namespace, `device-${i}`),
    ),
  );
  const subscribeMs = performance.now() - subscribeStarted;
  if (receiver === 'iterator')
    for (const subscription of subscriptions) {
      void (async () => {
        for await (const message of subscription) receive(message);
      })();
    }

  async function handle(command) {
    switch (command.type) {
      case 'arm':
        armedCpu = process.cpuUsage();
        counter.target = counter.received + command.expected;
        send({ type: 'armed' });
        return;
      case 'settle': {
        const deadline = performance.now() + 60_000;
        while (counter.acked < counter.received && performance.now() < deadline) await sleep(2);
        send({ type: 'settled', cpuMs: cpuMs(armedCpu) });
        return;
      }
      case 'count':
        send({ type: 'count', received: counter.received, ackFailures: counter.ackFailures });
        return;
      case 'profile':
        profile = await startProfile(command.dir, command.name);
        send({ type: 'profiling' });
        return;
      case 'profile-stop':
        await profile?.stop();
        profile = undefined;
        send({ type: 'profile-stopped' });
        return;
      case 'close':
        await Promise.all(subscriptions.map((s) => s.close()));
        await muster.close();
        await messaging.close();
        await durability?.close();
        send({ type: 'closed' });
        return;
      default:
        throw new Error(`unknown fleet command ${JSON.stringify(command)}`);
    }
  }
  return { subscribeMs, handle };
}

// As a child process: the parent sends { type: 'open', ... } first, then commands.
if (process.send !== undefined && process.argv[2] === '--child') {
  const send = (message) => process.send(message);
  let fleet;
  process.on('message', (command) => {
    if (command.type === 'open')
      openFleet(command, send).then(
        (opened) => {
          fleet = opened;
          send({ type: 'open', subscribeMs: opened.subscribeMs });
        },
        (error) => {
          console.error(error);
          process.exit(1);
        },
      );
    else
      fleet.handle(command).then(
        () => {
          if (command.type === 'close') process.disconnect();
        },
        (error) => {
          console.error(error);
          process.exit(1);
        },
      );
  });
}
