// Two coordinators, each on its own Kafka slot instances (own connections, own consumer groups),
// sharing only the registry and the broker: what one sends, the other's subscribers receive.
import { createMemoryRegistry, createMuster, type Muster } from '@muster/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createKafkaDurability, createKafkaMessaging } from '../src/index.js';
import { collect, text } from './support/collect.js';
import { deleteByPrefix, kafkaAvailable, uniquePrefix } from './support/kafka-test-env.js';

const prefix = uniquePrefix('two');
const available = await kafkaAvailable('two-instances');

describe.runIf(available)('kafka: two coordinators on separate slot instances', () => {
  let open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    // Coordinators first, then the slots (a coordinator leaves slots it was given open).
    for (const closable of open) await closable.close();
    open = [];
  });
  afterAll(() => deleteByPrefix(prefix));

  function pair(): [Muster, Muster, ReturnType<typeof createKafkaDurability>] {
    const registry = createMemoryRegistry();
    const slots = [0, 1].map(() => ({
      messaging: createKafkaMessaging({ topicPrefix: prefix }),
      durability: createKafkaDurability({ topicPrefix: prefix }),
    }));
    const [a, b] = slots.map(({ messaging, durability }) =>
      createMuster({ registry, messaging, durability, sweepIntervalMs: 0 }),
    ) as [Muster, Muster];
    const durabilityB = slots[1]!.durability;
    open.push(a, b, ...slots.flatMap((s) => [s.messaging, s.durability]));
    return [a, b, durabilityB];
  }

  it('an at-most-once multicast from A reaches subscribers on A and on B', async () => {
    const [a, b] = pair();
    const namespace = `amo-${Date.now()}`;
    for (const identity of ['on-a', 'on-b']) await a.register(namespace, { identity });
    const onA = collect(await a.subscribe(namespace, 'on-a'));
    const onB = collect(await b.subscribe(namespace, 'on-b'));
    const report = await a.multicast(namespace, { payload: 'hello' });
    expect(report.deliveries.map((d) => `${d.identity}:${d.status}`)).toEqual([
      'on-a:SENT',
      'on-b:SENT',
    ]);
    await onA.until(1);
    await onB.until(1);
    expect(text(onB.messages[0]!)).toBe('hello');
    expect(onB.messages[0]!.multicastId).toBe(report.multicastId);
  });

  it('at-least-once from A: live on B at once, backlog on B later, acks seen by both', async () => {
    const [a, b, durabilityB] = pair();
    const namespace = `alo-${Date.now()}`;
    for (const identity of ['live', 'offline']) await a.register(namespace, { identity });
    const live = collect(await b.subscribe(namespace, 'live'));
    const first = await a.multicast(namespace, { payload: 'one', delivery: 'at-least-once' });
    expect(first.deliveries.map((d) => d.status)).toEqual(['QUEUED', 'QUEUED']);
    await a.multicast(namespace, { payload: 'two', delivery: 'at-least-once' });
    await live.until(2);
    expect(live.messages.map(text)).toEqual(['one', 'two']);
    // 'offline' subscribes on B only now: its backlog comes, in order.
    const offline = collect(await b.subscribe(namespace, 'offline'));
    await offline.until(2);
    expect(offline.messages.map(text)).toEqual(['one', 'two']);
    // The acks (written by B) reach every reader of the log: nothing is left to redeliver.
    await expect
      .poll(
        async () => (await durabilityB.read(namespace, 'live', { limit: 10 }, Date.now())).length,
      )
      .toBe(0);
  });

  it('unregister on A purges the queue that B reads', async () => {
    const [a, b] = pair();
    const namespace = `purge-${Date.now()}`;
    await a.register(namespace, { identity: 'gone' });
    await b.multicast(namespace, { payload: 'never read', delivery: 'at-least-once' });
    await a.unregister(namespace, 'gone');
    await a.register(namespace, { identity: 'gone' });
    await a.multicast(namespace, { payload: 'fresh', delivery: 'at-least-once' });
    const inbox = collect(await b.subscribe(namespace, 'gone'));
    await inbox.until(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(inbox.messages.map(text)).toEqual(['fresh']);
  });
});
