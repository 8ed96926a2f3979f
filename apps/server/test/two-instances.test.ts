import { durationFromMs } from '@bufbuild/protobuf/wkt';
import { DeliveryMode, DeliveryStatus, WatchEventReason, WatchEventType } from '@muster/api';
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { sharedSlotSets } from './support/shared-slot-sets.js';
import { configFrom, grpcClient, next, startTestServer } from './support/test-server.js';

// Two server instances on the same backends act as one registry: register on A, enumerate and
// watch on B, multicast from B to a subscriber connected to A, expiry swept by either.
for (const set of sharedSlotSets()) {
  const unreachable = await set.unreachable();
  // Locally an unreachable backend skips (saying why); in CI it fails.
  if (unreachable !== undefined && process.env.CI !== 'true')
    console.warn(`skipping two instances on ${set.name}: ${unreachable}`);
  describe.skipIf(unreachable !== undefined && process.env.CI !== 'true')(
    `two server instances on ${set.name}`,
    () => {
      it('act as one registry', async () => {
        if (unreachable !== undefined) throw new Error(unreachable);
        const namespace = set.namespace ?? `two-${Date.now().toString(36)}`;
        const config = configFrom(`namespaces:\n  - name: ${namespace}\n`);
        const a = await set.open();
        const b = await set.open();
        const servers: RunningServer[] = [];
        try {
          servers.push(
            await startTestServer({ config, slots: () => a.slots, sweepIntervalMs: 50 }),
          );
          servers.push(await startTestServer({ config, slots: () => b.slots, sweepIntervalMs: 0 }));
          const [one, two] = servers.map((server) => grpcClient(server)) as [
            ReturnType<typeof grpcClient>,
            ReturnType<typeof grpcClient>,
          ];
          const controller = new AbortController();

          const watch = two
            .watch({ namespace }, { signal: controller.signal })
            [Symbol.asyncIterator]();
          expect((await next(watch)).event.case).toBe('started');

          await one.register({ namespace, identity: 'dev-1', metadata: { room: 'lab' } });
          await one.register({ namespace, identity: 'dev-2', metadata: { room: 'lab' } });
          const page = await two.enumerate({ namespace });
          expect(page.identities.map((r) => r.identity)).toEqual(['dev-1', 'dev-2']);
          const added = [await next(watch), await next(watch)].map(
            (e) => e.event.case === 'change' && [e.event.value.type, e.event.value.identity],
          );
          expect(added).toEqual([
            [WatchEventType.ADDED, 'dev-1'],
            [WatchEventType.ADDED, 'dev-2'],
          ]);

          // A subscriber on instance one, a multicast through instance two, the ack back to one.
          const inbox = one
            .subscribe({ namespace, identity: 'dev-1' }, { signal: controller.signal })
            [Symbol.asyncIterator]();
          expect((await next(inbox)).event.case).toBe('started');
          // Acked where the messaging backend carries acks (NATS, memory), else at-least-once
          // through the durability slot (Kafka): either way dev-1's ack reaches the publisher.
          const acked = a.slots.messaging.supports.acked;
          const sending = two.multicast({
            namespace,
            filter: undefined,
            payload: new TextEncoder().encode('hi'),
            delivery: acked ? DeliveryMode.ACKED : DeliveryMode.AT_LEAST_ONCE,
            timeout: durationFromMs(5000),
          });
          sending.catch(() => {}); // observed below; never an unhandled rejection
          const message = await next(inbox, 20_000);
          if (message.event.case !== 'message') throw new Error('expected a message');
          expect(new TextDecoder().decode(message.event.value.payload)).toBe('hi');
          await one.ack({
            namespace,
            identity: 'dev-1',
            messageIds: [message.event.value.messageId],
          });
          const report = (await sending).report!;
          expect(report.deliveries.map((d) => [d.identity, d.status])).toEqual(
            acked
              ? [
                  ['dev-1', DeliveryStatus.DELIVERED],
                  ['dev-2', DeliveryStatus.NO_SUBSCRIBER],
                ]
              : [
                  ['dev-1', expect.toBeOneOf([DeliveryStatus.DELIVERED, DeliveryStatus.QUEUED])],
                  ['dev-2', DeliveryStatus.QUEUED],
                ],
          );

          // dev-2 gets a short TTL and expires: swept by instance one, seen by the watch on two.
          await one.heartbeat({ namespace, identity: 'dev-2', ttl: durationFromMs(300) });
          let expired = await next(watch, 20_000);
          while (
            expired.event.case === 'change' &&
            expired.event.value.type !== WatchEventType.REMOVED
          )
            expired = await next(watch, 20_000);
          expect(
            expired.event.case === 'change' && [
              expired.event.value.type,
              expired.event.value.reason,
              expired.event.value.identity,
            ],
          ).toEqual([WatchEventType.REMOVED, WatchEventReason.EXPIRED, 'dev-2']);
          expect((await two.enumerate({ namespace })).identities.map((r) => r.identity)).toEqual([
            'dev-1',
          ]);
          controller.abort();
        } catch (error) {
          // Shown even when closing below fails too and replaces this error.
          console.error(`two instances on ${set.name}:`, error);
          throw error;
        } finally {
          await within(
            60_000,
            'closing the servers',
            Promise.all(servers.map((server) => server.close())),
          );
          await within(20_000, 'closing the slots', Promise.all([a.close(), b.close()]));
        }
      });
    },
  );
}

/** Fails with `what` when `work` takes longer than `ms` (a hang names its step). */
async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
