import type { RunningServer } from '@muster/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient, type Message, type NamespaceClient } from '../src/index.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import { startTestServer, uniqueNamespace } from './support/test-server.js';

let server: RunningServer;
let proxy: TcpProxy;
beforeAll(async () => {
  server = await startTestServer();
  proxy = await startTcpProxy(server.port);
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

/** Waits until `check` holds, polling. */
async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it('resumes after a dropped connection without losing at-least-once messages, dropping duplicates', async () => {
  const name = uniqueNamespace('resume');
  // The subscriber goes through the proxy (its connection gets cut); the publisher does not.
  const device = createClient({ baseUrl: proxy.url }).namespace(name);
  const control: NamespaceClient = createClient({ baseUrl: server.url }).namespace(name);
  await control.register({ identity: 'device-1', metadata: { fw: '1.0' } });

  const subscription = await device.subscribe('device-1', {
    reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
  });
  const received: Message[] = [];
  const consumer = (async () => {
    for await (const message of subscription) received.push(message);
  })();

  // 1. Delivered but not acknowledged before the connection drops.
  await control.multicast({ filter: { fw: '1.0' }, payload: 'first', delivery: 'at-least-once' });
  await until(() => received.length === 1, 'the first message');

  // 2. The network goes down; a message is queued meanwhile.
  proxy.setDown(true);
  proxy.dropConnections();
  const queued = await control.multicast({
    filter: { fw: '1.0' },
    payload: 'second',
    delivery: 'at-least-once',
  });
  expect(queued.deliveries[0]!.status).toBe('QUEUED');

  // 3. The network comes back: the subscription reconnects by itself; the server sends its
  //    queue again ("first", unacknowledged, then "second"); "first" is dropped as a duplicate.
  await new Promise((resolve) => setTimeout(resolve, 300));
  proxy.setDown(false);
  await until(() => received.length === 2, 'the message queued during the outage');
  expect(received.map((message) => message.text())).toEqual(['first', 'second']);
  expect(subscription.reconnects).toBeGreaterThanOrEqual(1);
  await until(
    () => subscription.duplicatesDropped === 1,
    'the redelivery of "first" to be dropped',
  );

  // 4. Acknowledging the first delivery after the reconnect reaches the new stream.
  for (const message of received) await message.ack();
  await subscription.close();
  await consumer;

  // Nothing is left queued: a fresh subscriber gets only what is sent now.
  const fresh = await control.subscribe('device-1');
  await control.multicast({ filter: { fw: '1.0' }, payload: 'third', delivery: 'at-least-once' });
  const next = await fresh[Symbol.asyncIterator]().next();
  expect(next.value!.text()).toBe('third');
  await fresh.close();
});

it('re-sends an acknowledgement lost with the connection when the message comes again', async () => {
  const name = uniqueNamespace('lost-ack');
  const device = createClient({ baseUrl: proxy.url }).namespace(name);
  const control = createClient({ baseUrl: server.url }).namespace(name);
  await control.register({ identity: 'd', metadata: {} });
  const subscription = await device.subscribe('d', {
    reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
  });
  const iterator = subscription[Symbol.asyncIterator]();
  await control.multicast({ payload: 'once', delivery: 'at-least-once' });
  const message = (await iterator.next()).value!;

  // The ack is attempted while the network is down: it cannot reach the server.
  proxy.setDown(true);
  proxy.dropConnections();
  await message.ack();
  proxy.setDown(false);

  // After the reconnect the server redelivers "once"; the client drops it and acks it again.
  await until(() => subscription.duplicatesDropped === 1, 'the redelivery');
  await until(() => subscription.reconnects >= 1, 'the reconnect');
  await subscription.close();
  const fresh = await control.subscribe('d');
  await control.multicast({ payload: 'after', delivery: 'at-least-once' });
  expect((await fresh[Symbol.asyncIterator]().next()).value!.text()).toBe('after');
  await fresh.close();
});

it('ends with the error when reconnecting is off', async () => {
  const name = uniqueNamespace('no-reconnect');
  const device = createClient({ baseUrl: proxy.url }).namespace(name);
  const subscription = await device.subscribe('d', { reconnect: false });
  const ended = (async () => {
    for await (const _ of subscription) {
    }
  })().then(
    () => 'ended without an error',
    (error: unknown) => error,
  );
  proxy.dropConnections();
  expect(await ended).toMatchObject({ code: 'UNAVAILABLE' });
});
