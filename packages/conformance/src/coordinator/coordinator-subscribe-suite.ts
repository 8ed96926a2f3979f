// Guarantees (through createMuster): a subscription yields messages for its identity only, in
// publish order; with durability, the queued backlog comes first, in order, then live messages;
// unacked durable messages come again (attempt > 1) on the next subscription; close ends it;
// a subscription with an onMessage callback receives the same messages in the same order.
import type { Message } from '@muster/core';
import { expect } from 'vitest';
import { AsyncReader } from '../support/async-reader.js';
import { sleep, waitFor } from '../support/wait-for.js';
import { type CoordinatorSuiteContext, withCoordinators } from './coordinator-suite-context.js';

const text = (message: Message): string => new TextDecoder().decode(message.payload);

export function coordinatorSubscribeSuite(context: CoordinatorSuiteContext): void {
  const { test, supports } = context;
  const liveMode = supports.messaging.atMostOnce ? 'at-most-once' : 'acked';

  test('coordinator subscribe: own messages only, in publish order; close ends the iteration', async () => {
    await withCoordinators(context, { label: 'c-subscribe' }, async ({ muster, namespace }) => {
      await muster.register(namespace, { identity: 'me', metadata: { who: 'me' } });
      await muster.register(namespace, { identity: 'you', metadata: { who: 'you' } });
      const subscription = await muster.subscribe(namespace, 'me');
      const reader = new AsyncReader<Message>(subscription);
      const sent: string[] = [];
      for (let i = 0; i < 20; i++) {
        sent.push(`m${i}`);
        const report = muster.multicast(namespace, {
          filter: 'who == "me"',
          payload: `m${i}`,
          delivery: liveMode,
          timeoutMs: 2_000,
        });
        if (liveMode === 'acked') {
          const [message] = await reader.take(1, `message m${i}`);
          await message!.ack();
          await report;
        } else await report;
      }
      await muster.multicast(namespace, {
        filter: 'who == "you"',
        payload: 'not for me',
        delivery: liveMode,
        timeoutMs: 300,
      });
      if (liveMode === 'at-most-once')
        expect((await reader.take(20, 'twenty messages')).map(text)).toEqual(sent);
      expect((await reader.idle(100)).map(text), 'messages for another identity').toEqual([]);
      expect(subscription.overflowed).toBe(0);
      await subscription.close();
      expect(await reader.ended(), 'close ends the iteration').toBe(true);
    });
  });

  test('coordinator subscribe with onMessage: the same messages, in order, backlog first', async () => {
    await withCoordinators(context, { label: 'c-callback' }, async ({ muster, namespace }) => {
      await muster.register(namespace, { identity: 'me' });
      const durable = supports.durability !== null;
      const queued = durable ? ['q1', 'q2', 'q3'] : [];
      for (const payload of queued)
        await muster.multicast(namespace, { payload, delivery: 'at-least-once' });
      const received: string[] = [];
      const subscription = await muster.subscribe(namespace, 'me', {
        onMessage: (message) => {
          received.push(text(message));
          void message.ack();
        },
      });
      await waitFor(() => received.length >= queued.length, 'the backlog', 10_000);
      const live = Array.from({ length: 10 }, (_, i) => `m${i}`);
      for (const payload of live)
        await muster.multicast(namespace, { payload, delivery: liveMode, timeoutMs: 2_000 });
      await waitFor(
        () => received.length >= queued.length + live.length,
        'the live messages',
        10_000,
      );
      expect(received).toEqual([...queued, ...live]);
      await subscription.close();
      await muster.multicast(namespace, {
        payload: 'after close',
        delivery: liveMode,
        timeoutMs: 300,
      });
      await sleep(100);
      expect(received.length, 'nothing after close').toBe(queued.length + live.length);
    });
  });

  if (supports.durability !== null) {
    test('coordinator subscribe: the durable backlog first, in order, then live messages', async () => {
      await withCoordinators(context, { label: 'c-backlog' }, async ({ muster, namespace }) => {
        await muster.register(namespace, { identity: 'device' });
        for (const payload of ['q1', 'q2', 'q3'])
          await muster.multicast(namespace, { payload, delivery: 'at-least-once' });
        const subscription = await muster.subscribe(namespace, 'device');
        const reader = new AsyncReader<Message>(subscription);
        // Published while the backlog may still be draining: must come after it.
        const live = muster.multicast(namespace, {
          payload: 'live',
          delivery: liveMode,
          timeoutMs: 5_000,
        });
        await muster.multicast(namespace, { payload: 'q4', delivery: 'at-least-once' });
        const first = await reader.take(3, 'the backlog');
        expect(first.map(text)).toEqual(['q1', 'q2', 'q3']);
        const rest = await reader.take(2, 'the live message and q4');
        expect(rest.map(text).sort()).toEqual(['live', 'q4']);
        for (const message of [...first, ...rest]) await message.ack();
        await live;
        await subscription.close();
      });
    });

    test('coordinator subscribe: unacked durable messages come again on the next subscription', async () => {
      await withCoordinators(context, { label: 'c-redeliver' }, async ({ muster, namespace }) => {
        await muster.register(namespace, { identity: 'device' });
        for (const payload of ['a', 'b', 'c'])
          await muster.multicast(namespace, { payload, delivery: 'at-least-once' });
        const first = await muster.subscribe(namespace, 'device');
        const firstReader = new AsyncReader<Message>(first);
        const messages = await firstReader.take(3, 'the queued messages');
        expect(messages.map((m) => m.attempt)).toEqual([1, 1, 1]);
        await messages[0]!.ack();
        await first.close();
        const second = await muster.subscribe(namespace, 'device');
        const again = await new AsyncReader<Message>(second).take(2, 'the unacked messages again');
        expect(again.map(text)).toEqual(['b', 'c']);
        for (const message of again) expect(message.attempt).toBeGreaterThan(1);
        for (const message of again) await message.ack();
        await second.close();
        const third = await muster.subscribe(namespace, 'device');
        expect(
          (await new AsyncReader<Message>(third).idle(150)).map(text),
          'acked messages never come back',
        ).toEqual([]);
        await third.close();
      });
    });
  }
}
