// Two coordinators, each on its own NATS connections (two messaging and two durability slot
// instances) over one shared registry: what one sends, the other's subscribers receive, in
// every delivery mode; a backlog queued through one is read and acked through the other.
import { createMemoryRegistry, createMuster, type Message, type Subscription } from '@muster/core';
import { afterAll, expect, it } from 'vitest';
import { createJetStreamDurability, createNatsMessaging } from '../src/index.js';
import { deleteStreams } from './support/delete-streams.js';
import { NATS_URL, natsReachable, uniquePrefix } from './support/nats-url.js';

const reachable = await natsReachable();
const prefix = uniquePrefix('two');
if (reachable) afterAll(() => deleteStreams(NATS_URL, prefix));

async function next(subscription: Subscription): Promise<Message> {
  const iterator = subscription[Symbol.asyncIterator]();
  const result = await Promise.race([
    iterator.next(),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no message')), 10_000)),
  ]);
  if (result.done) throw new Error('the subscription ended');
  return result.value;
}

it.runIf(reachable)('two coordinators on separate connections deliver to each other', async () => {
  const registry = createMemoryRegistry();
  const open = async () => ({
    messaging: await createNatsMessaging({ servers: NATS_URL, subjectPrefix: prefix }),
    durability: await createJetStreamDurability({ servers: NATS_URL, subjectPrefix: prefix }),
  });
  const east = await open();
  const west = await open();
  const a = createMuster({ registry, ...east, sweepIntervalMs: 0 });
  const b = createMuster({ registry, ...west, sweepIntervalMs: 0 });
  try {
    const namespace = 'pair';
    await a.register(namespace, { identity: 'sensor' });
    // Queued through A while nobody subscribes: B's subscriber gets the backlog first.
    const queued = await a.multicast(namespace, { payload: 'backlog', delivery: 'at-least-once' });
    expect(queued.deliveries.map((d) => d.status)).toEqual(['QUEUED']);
    const subscription = await b.subscribe(namespace, 'sensor');
    const backlog = await next(subscription);
    expect(new TextDecoder().decode(backlog.payload)).toBe('backlog');
    await backlog.ack();

    const sent = await a.multicast(namespace, { payload: 'fast', delivery: 'at-most-once' });
    expect(sent.deliveries.map((d) => d.status)).toEqual(['SENT']);
    expect(new TextDecoder().decode((await next(subscription)).payload)).toBe('fast');

    const acked = a.multicast(namespace, { payload: 'sure', delivery: 'acked', timeoutMs: 5_000 });
    const message = await next(subscription);
    await message.ack();
    expect((await acked).deliveries.map((d) => d.status)).toEqual(['DELIVERED']);

    const live = await a.multicast(namespace, { payload: 'durable', delivery: 'at-least-once' });
    expect(live.deliveries.map((d) => d.status)).toEqual(['QUEUED']);
    const durable = await next(subscription);
    expect(new TextDecoder().decode(durable.payload)).toBe('durable');
    await durable.ack();
    // Acked through B: nothing is left for A's durability slot to read.
    expect(await east.durability.read(namespace, 'sensor', { limit: 10 }, Date.now())).toEqual([]);

    // Unregistering through A purges the queue B would read.
    await a.multicast(namespace, { payload: 'orphan', delivery: 'at-least-once' });
    await subscription.close();
    await a.unregister(namespace, 'sensor');
    expect(await west.durability.read(namespace, 'sensor', { limit: 10 }, Date.now())).toEqual([]);
  } finally {
    await a.close();
    await b.close();
    for (const slot of [east.messaging, east.durability, west.messaging, west.durability])
      await slot.close();
  }
});
