// Guarantees (through createMuster): getMulticast returns a multicast's report by id, at once
// after the multicast, as it was reported; at-least-once targets go from QUEUED to DELIVERED as
// their receivers ack (from any coordinator, when the durability slot supports reports; from the
// same coordinator otherwise); reports are gone after the namespace's reportRetentionMs;
// unknown ids are NOT_FOUND (field multicastId) and malformed ones INVALID_ARGUMENT.
import type { Message, MulticastReport } from '@muster/core';
import { expect } from 'vitest';
import { AsyncReader } from '../support/async-reader.js';
import { expectMusterError } from '../support/expect-muster-error.js';
import { type CoordinatorSuiteContext, withCoordinators } from './coordinator-suite-context.js';

function statuses(report: MulticastReport): string[] {
  return report.deliveries.map((d) => `${d.identity}:${d.status}`);
}

export function coordinatorReportsSuite(context: CoordinatorSuiteContext): void {
  const { test, supports } = context;

  test('coordinator getMulticast: the report of a multicast just made, as it was reported', async () => {
    await withCoordinators(context, { label: 'c-rep' }, async ({ muster, namespace }) => {
      // An absent target only where it does not wait for a timeout.
      const identities = supports.messaging.atMostOnce ? ['listening', 'absent'] : ['listening'];
      for (const identity of identities) await muster.register(namespace, { identity });
      const inbox = await muster.subscribe(namespace, 'listening');
      const consuming = (async () => {
        for await (const message of inbox) await message.ack();
      })();
      const mode = supports.messaging.atMostOnce ? 'at-most-once' : 'acked';
      const report = await muster.multicast(namespace, {
        payload: 'x',
        delivery: mode,
        timeoutMs: 3_000,
      });
      expect(await muster.getMulticast(namespace, report.multicastId)).toEqual(report);
      await inbox.close();
      await consuming;
    });
  });

  if (supports.durability !== null) {
    test('coordinator getMulticast (at-least-once): QUEUED, then DELIVERED once the subscriber acks', async () => {
      await withCoordinators(context, { label: 'c-rep-alo' }, async ({ muster, namespace }) => {
        for (const identity of ['acking', 'offline'])
          await muster.register(namespace, { identity });
        const report = await muster.multicast(namespace, {
          payload: 'keep me',
          delivery: 'at-least-once',
        });
        expect(statuses(await muster.getMulticast(namespace, report.multicastId))).toEqual([
          'acking:QUEUED',
          'offline:QUEUED',
        ]);
        const inbox = new AsyncReader<Message>(await muster.subscribe(namespace, 'acking'));
        const [message] = await inbox.take(1, 'the queued message');
        expect(message!.multicastId).toBe(report.multicastId);
        await message!.ack();
        const later = await muster.getMulticast(namespace, report.multicastId);
        expect(statuses(later)).toEqual(['acking:DELIVERED', 'offline:QUEUED']);
        expect(later.deliveredCount).toBe(1);
      });
    });
  }

  if (supports.durability?.reports) {
    test('coordinator getMulticast (durability with reports): shared by coordinators, acks included', async () => {
      await withCoordinators(
        context,
        { label: 'c-rep-shared', count: 2 },
        async ({ musters, namespace }) => {
          const [a, b] = musters as [(typeof musters)[0], (typeof musters)[0]];
          await a.register(namespace, { identity: 'device' });
          const report = await a.multicast(namespace, {
            payload: 'from a',
            delivery: 'at-least-once',
          });
          expect(statuses(await b.getMulticast(namespace, report.multicastId))).toEqual([
            'device:QUEUED',
          ]);
          const inbox = new AsyncReader<Message>(await b.subscribe(namespace, 'device'));
          const [message] = await inbox.take(
            1,
            'the queued message, through the other coordinator',
          );
          await message!.ack();
          expect(statuses(await a.getMulticast(namespace, report.multicastId))).toEqual([
            'device:DELIVERED',
          ]);
        },
      );
    });
  }

  test('coordinator getMulticast: gone after reportRetentionMs', async () => {
    // The coordinators' clock is manual when the registry takes the caller's clock.
    const retention = supports.registry.clock === 'caller' ? 60_000 : 500;
    await withCoordinators(
      context,
      { label: 'c-rep-expiry', config: { reportRetentionMs: retention } },
      async ({ muster, namespace, time }) => {
        await muster.register(namespace, { identity: 'a' });
        const mode = supports.messaging.atMostOnce ? 'at-most-once' : 'acked';
        const report = await muster.multicast(namespace, { payload: 'x', delivery: mode });
        await muster.getMulticast(namespace, report.multicastId);
        await time.advance(retention + time.marginMs);
        const error = await expectMusterError(
          muster.getMulticast(namespace, report.multicastId),
          'NOT_FOUND',
          'getMulticast after the retention',
        );
        expect(error.details.field).toBe('multicastId');
      },
    );
  });

  test('coordinator getMulticast: NOT_FOUND for an unknown id, INVALID_ARGUMENT for a bad one', async () => {
    await withCoordinators(context, { label: 'c-rep-errors' }, async ({ muster, namespace }) => {
      const unknown = await expectMusterError(
        muster.getMulticast(namespace, '00000000-0000-4000-8000-000000000000'),
        'NOT_FOUND',
        'an unknown multicast id',
      );
      expect(unknown.details.field).toBe('multicastId');
      for (const bad of ['', 'has space', 'x'.repeat(257), 7])
        await expectMusterError(
          muster.getMulticast(namespace, bad as string),
          'INVALID_ARGUMENT',
          `multicast id ${JSON.stringify(bad)}`,
        );
    });
  });
}
