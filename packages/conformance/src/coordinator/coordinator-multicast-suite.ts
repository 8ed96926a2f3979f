// Guarantees (through createMuster): multicast targets the identities matching at publish time
// (all when no filter), reports one honest status per target sorted by identity: at-most-once is
// SENT / NO_SUBSCRIBER and never DELIVERED; acked is DELIVERED only when the subscriber acked,
// TIMEOUT or NO_SUBSCRIBER otherwise; at-least-once is QUEUED (when a durability slot is there);
// deliveredCount counts DELIVERED; an idempotency key returns the first report; modes the slots
// lack are UNSUPPORTED; an aborted signal cancels.
import { type Message, type MulticastReport, MusterError } from '@muster/core';
import { expect } from 'vitest';
import { AsyncReader } from '../support/async-reader.js';
import { expectMusterError } from '../support/expect-muster-error.js';
import { compareCodePoints } from '../support/reference-order.js';
import { type CoordinatorSuiteContext, withCoordinators } from './coordinator-suite-context.js';

function statuses(report: MulticastReport): string[] {
  return report.deliveries.map((d) => `${d.identity}:${d.status}`);
}

function expectSorted(report: MulticastReport): void {
  const ids = report.deliveries.map((d) => d.identity);
  expect(ids, 'deliveries are sorted by identity').toEqual([...ids].sort(compareCodePoints));
  expect(report.targetCount).toBe(ids.length);
  expect(report.deliveredCount).toBe(
    report.deliveries.filter((d) => d.status === 'DELIVERED').length,
  );
  expect(typeof report.multicastId).toBe('string');
}

export function coordinatorMulticastSuite(context: CoordinatorSuiteContext): void {
  const { test, supports } = context;

  if (supports.messaging.atMostOnce) {
    test('coordinator multicast (at-most-once): SENT / NO_SUBSCRIBER, never DELIVERED', async () => {
      await withCoordinators(context, { label: 'c-amo' }, async ({ muster, namespace }) => {
        for (const [identity, floor] of [
          ['z-listening', 1],
          ['a-listening', 1],
          ['m-absent', 1],
          ['other-floor', 2],
        ] as const)
          await muster.register(namespace, { identity, metadata: { floor } });
        const z = new AsyncReader(await muster.subscribe(namespace, 'z-listening'));
        const a = new AsyncReader(await muster.subscribe(namespace, 'a-listening'));
        const report = await muster.multicast(namespace, {
          filter: 'floor == 1',
          payload: 'hello',
          delivery: 'at-most-once',
        });
        expectSorted(report);
        const absent = supports.messaging.presence ? 'NO_SUBSCRIBER' : 'SENT';
        expect(statuses(report)).toEqual([
          'a-listening:SENT',
          `m-absent:${absent}`,
          'z-listening:SENT',
        ]);
        expect(report.deliveredCount).toBe(0);
        const [message] = await z.take(1, 'the multicast');
        expect(new TextDecoder().decode(message!.payload)).toBe('hello');
        expect(message!.contentType).toBe('text/plain; charset=utf-8');
        expect(message!.multicastId).toBe(report.multicastId);
        expect(message!.identity).toBe('z-listening');
        expect(message!.attempt).toBe(1);
        await a.take(1, 'the multicast');
        const all = await muster.multicast(namespace, {
          payload: new Uint8Array([1, 2, 3]),
          contentType: 'application/x-test',
        });
        expect(all.targetCount, 'no filter targets everyone').toBe(4);
        const [binary] = await a.take(1, 'the second multicast');
        expect(Array.from(binary!.payload)).toEqual([1, 2, 3]);
        expect(binary!.contentType).toBe('application/x-test');
      });
    });
  }

  if (supports.messaging.acked) {
    test('coordinator multicast (acked): DELIVERED only on ack; TIMEOUT; NO_SUBSCRIBER', async () => {
      await withCoordinators(context, { label: 'c-acked' }, async ({ muster, namespace }) => {
        for (const identity of ['acking', 'silent', 'absent'])
          await muster.register(namespace, { identity });
        const acking = await muster.subscribe(namespace, 'acking');
        const silent = new AsyncReader(await muster.subscribe(namespace, 'silent'));
        const consuming = (async () => {
          for await (const message of acking) await message.ack();
        })();
        // Long enough for a slow shared backend to resolve the targets first: the timeout must
        // end only the silent subscriber's wait.
        const report = await muster.multicast(namespace, {
          payload: 'ping',
          delivery: 'acked',
          timeoutMs: 3_000,
        });
        expectSorted(report);
        expect(statuses(report)).toEqual([
          'absent:NO_SUBSCRIBER',
          'acking:DELIVERED',
          'silent:TIMEOUT',
        ]);
        expect(report.deliveredCount).toBe(1);
        await silent.take(1, 'the unacked message');
        await acking.close();
        await consuming;
      });
    });
  } else {
    test('coordinator multicast (acked, not supported): UNSUPPORTED', async () => {
      await withCoordinators(
        context,
        { label: 'c-acked-absent' },
        async ({ muster, namespace }) => {
          await muster.register(namespace, { identity: 'a' });
          await expectMusterError(
            muster.multicast(namespace, { payload: 'x', delivery: 'acked' }),
            'UNSUPPORTED',
            'acked',
          );
        },
      );
    });
  }

  if (supports.durability !== null) {
    test('coordinator multicast (at-least-once): QUEUED, then delivered to the subscriber and acked', async () => {
      await withCoordinators(context, { label: 'c-alo' }, async ({ muster, namespace }) => {
        for (const identity of ['offline', 'online'])
          await muster.register(namespace, { identity });
        const online = new AsyncReader<Message>(await muster.subscribe(namespace, 'online'));
        const report = await muster.multicast(namespace, {
          payload: 'keep me',
          delivery: 'at-least-once',
        });
        expectSorted(report);
        expect(statuses(report)).toEqual(['offline:QUEUED', 'online:QUEUED']);
        expect(report.deliveredCount).toBe(0);
        const [live] = await online.take(1, 'the queued message, delivered live');
        expect(new TextDecoder().decode(live!.payload)).toBe('keep me');
        await live!.ack();
        const offline = new AsyncReader<Message>(await muster.subscribe(namespace, 'offline'));
        const [backlog] = await offline.take(1, 'the backlog');
        expect(backlog!.multicastId).toBe(report.multicastId);
        await backlog!.ack();
      });
    });
  } else {
    test('coordinator multicast (at-least-once without durability): UNSUPPORTED', async () => {
      await withCoordinators(context, { label: 'c-alo-absent' }, async ({ muster, namespace }) => {
        await muster.register(namespace, { identity: 'a' });
        await expectMusterError(
          muster.multicast(namespace, { payload: 'x', delivery: 'at-least-once' }),
          'UNSUPPORTED',
          'at-least-once without a durability slot',
        );
      });
    });
  }

  test('coordinator multicast: an idempotency key returns the first report', async () => {
    await withCoordinators(context, { label: 'c-idempotent' }, async ({ muster, namespace }) => {
      await muster.register(namespace, { identity: 'a' });
      const first = await muster.multicast(namespace, { payload: 'once', idempotencyKey: 'k-1' });
      await muster.register(namespace, { identity: 'b' });
      const again = await muster.multicast(namespace, { payload: 'once', idempotencyKey: 'k-1' });
      expect(again).toEqual(first);
      const other = await muster.multicast(namespace, { payload: 'once', idempotencyKey: 'k-2' });
      expect(other.multicastId).not.toBe(first.multicastId);
      expect(other.targetCount).toBe(2);
    });
  });

  test('coordinator multicast: an aborted signal cancels', async () => {
    await withCoordinators(context, { label: 'c-abort' }, async ({ muster, namespace }) => {
      await muster.register(namespace, { identity: 'a' });
      let outcome: unknown;
      try {
        outcome = await muster.multicast(namespace, { payload: 'x', signal: AbortSignal.abort() });
      } catch (error) {
        expect(
          MusterError.is(error, 'CANCELLED'),
          `rejects with CANCELLED, not ${String(error)}`,
        ).toBe(true);
        return;
      }
      const report = outcome as MulticastReport;
      for (const delivery of report.deliveries) {
        expect(delivery.status).toBe('FAILED');
        expect(delivery.error?.code).toBe('CANCELLED');
      }
    });
  });
}
