import { describe, expect, test } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import type { Muster } from '../../src/coordinator/muster-api.js';
import { MusterError } from '../../src/errors/muster-error.js';
import { createMemoryDurability } from '../../src/memory/durability/create-memory-durability.js';
import { createMemoryMessaging } from '../../src/memory/messaging/create-memory-messaging.js';
import { createMemoryRegistry } from '../../src/memory/registry/create-memory-registry.js';
import type { DurabilitySlot } from '../../src/slots/durability-slot.js';
import type { MulticastReport } from '../../src/slots/multicast-report.js';
import { durabilityWithoutNotify, musterFor, take } from './support/slots.js';
import { useMusters } from './support/use-musters.js';

const open = useMusters();

async function errorOf(promise: Promise<unknown>): Promise<MusterError> {
  try {
    await promise;
  } catch (error) {
    if (MusterError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a MusterError, but the call resolved');
}

const statuses = (report: MulticastReport) =>
  report.deliveries.map((d) => `${d.identity}:${d.status}`);

async function registerAll(muster: Muster, identities: readonly string[]) {
  for (const identity of identities) await muster.register('ns', { identity });
}

/** The slot's methods bound to it, with some replaced. */
function replacing(base: DurabilitySlot, changes: Partial<DurabilitySlot>): DurabilitySlot {
  const bound: Record<string, unknown> = { supports: base.supports };
  for (const name of [
    'enqueue',
    'read',
    'ack',
    'purge',
    'trim',
    'onAvailable',
    'saveReport',
    'markDelivered',
    'loadReport',
    'close',
  ] as const) {
    const method = base[name];
    if (method !== undefined) bound[name] = method.bind(base);
  }
  return { ...(bound as unknown as DurabilitySlot), ...changes };
}

/** Two coordinators over one registry, messaging and durability slot. */
function pair(durability: DurabilitySlot | null) {
  const registry = createMemoryRegistry();
  const messaging = createMemoryMessaging();
  const a = open({ registry, messaging, durability });
  const b = open({ registry, messaging, durability });
  return [a, b] as const;
}

describe('getMulticast', { timeout: 10_000 }, () => {
  test('finds an at-most-once multicast right after it, as it was reported', async () => {
    const muster = open();
    await registerAll(muster, ['a', 'b']);
    await muster.subscribe('ns', 'b');
    const report = await muster.multicast('ns', { payload: 'x' });
    expect(await muster.getMulticast('ns', report.multicastId)).toEqual(report);
  });

  test('at-least-once: QUEUED, then DELIVERED per identity as receivers ack', async () => {
    const muster = open();
    await registerAll(muster, ['a', 'b']);
    const report = await muster.multicast('ns', { payload: 'x', delivery: 'at-least-once' });
    expect(statuses(await muster.getMulticast('ns', report.multicastId))).toEqual([
      'a:QUEUED',
      'b:QUEUED',
    ]);
    const [message] = await take(await muster.subscribe('ns', 'b'), 1);
    await message!.ack();
    const later = await muster.getMulticast('ns', report.multicastId);
    expect(statuses(later)).toEqual(['a:QUEUED', 'b:DELIVERED']);
    expect(later.deliveredCount).toBe(1);
    expect(report.deliveredCount, 'the returned report is not changed').toBe(0);
  });

  test('a durability slot with reports shares them between coordinators', async () => {
    const [a, b] = pair(createMemoryDurability());
    await registerAll(a, ['x']);
    const report = await a.multicast('ns', { payload: 'x', delivery: 'at-least-once' });
    expect(statuses(await b.getMulticast('ns', report.multicastId))).toEqual(['x:QUEUED']);
    const [message] = await take(await b.subscribe('ns', 'x'), 1);
    await message!.ack();
    expect(statuses(await a.getMulticast('ns', report.multicastId))).toEqual(['x:DELIVERED']);
  });

  test('without reports in the durability slot: per coordinator, acks seen by the same one', async () => {
    const [a, b] = pair(durabilityWithoutNotify());
    await registerAll(a, ['x']);
    const report = await a.multicast('ns', { payload: 'x', delivery: 'at-least-once' });
    expect((await errorOf(b.getMulticast('ns', report.multicastId))).code).toBe('NOT_FOUND');
    const [message] = await take(await a.subscribe('ns', 'x'), 1);
    await message!.ack();
    expect(statuses(await a.getMulticast('ns', report.multicastId))).toEqual(['x:DELIVERED']);
  });

  test('without a durability slot, reports are kept in process', async () => {
    const muster = open({ durability: null });
    await registerAll(muster, ['x']);
    const report = await muster.multicast('ns', { payload: 'x' });
    expect(await muster.getMulticast('ns', report.multicastId)).toEqual(report);
  });

  test('NOT_FOUND for an unknown id and past reportRetentionMs; INVALID_ARGUMENT for a bad id', async () => {
    const clock = new ManualClock(1_000_000);
    for (const durability of [createMemoryDurability(), null]) {
      const muster = open({ clock, durability, namespaces: { ns: { reportRetentionMs: 1000 } } });
      await registerAll(muster, ['a']);
      const report = await muster.multicast('ns', { payload: 'x' });
      const unknown = await errorOf(muster.getMulticast('ns', 'no-such-multicast'));
      expect(unknown.code).toBe('NOT_FOUND');
      expect(unknown.details).toMatchObject({
        field: 'multicastId',
        multicastId: 'no-such-multicast',
      });
      clock.advance(999);
      await muster.getMulticast('ns', report.multicastId);
      clock.advance(1);
      expect((await errorOf(muster.getMulticast('ns', report.multicastId))).code).toBe('NOT_FOUND');
      expect((await errorOf(muster.getMulticast('other', report.multicastId))).code).toBe(
        'NOT_FOUND',
      );
      for (const bad of ['', 'a b', 'x'.repeat(257), 42, undefined]) {
        const error = await errorOf(muster.getMulticast('ns', bad as string));
        expect([error.code, error.details.field]).toEqual(['INVALID_ARGUMENT', 'multicastId']);
      }
    }
  });

  test('a timed-out multicast keeps its report, TIMEOUT included', async () => {
    const muster = open();
    await registerAll(muster, ['silent']);
    const inbox = await muster.subscribe('ns', 'silent');
    const report = await muster.multicast('ns', { payload: 'x', delivery: 'acked', timeoutMs: 50 });
    expect(statuses(report)).toEqual(['silent:TIMEOUT']);
    expect(await muster.getMulticast('ns', report.multicastId)).toEqual(report);
    await inbox.close();
  });

  test('a failed save is not the caller’s error: the report is kept in process instead', async () => {
    const base = createMemoryDurability();
    const failing = replacing(base, {
      saveReport: () => Promise.reject(new Error('disk full')),
    });
    const warnings: string[] = [];
    const onWarning = (warning: Error & { code?: string }) => warnings.push(warning.code ?? '');
    process.on('warning', onWarning);
    try {
      const muster = open({ durability: failing });
      await registerAll(muster, ['a']);
      const first = await muster.multicast('ns', { payload: 'x' });
      const second = await muster.multicast('ns', { payload: 'y' });
      expect(await muster.getMulticast('ns', first.multicastId)).toEqual(first);
      expect(await muster.getMulticast('ns', second.multicastId)).toEqual(second);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings, 'warned once').toEqual(['MUSTER_REPORT_SAVE_FAILED']);
    } finally {
      process.off('warning', onWarning);
    }
  });

  test('close waits for the reports being saved', async () => {
    const durability = createMemoryDurability();
    let saved = 0;
    const slow = replacing(durability, {
      saveReport: async (...args: Parameters<NonNullable<DurabilitySlot['saveReport']>>) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await durability.saveReport!(...args);
        saved++;
      },
    });
    const muster = musterFor({ durability: slow });
    await muster.register('ns', { identity: 'a' });
    await muster.multicast('ns', { payload: 'x' });
    await muster.close();
    expect(saved).toBe(1);
  });
});

describe('reportRetentionMs', () => {
  test('defaults to an hour; must be a positive integer of at most 7 days', () => {
    for (const bad of [0, 1.5, -1, 7 * 24 * 60 * 60 * 1000 + 1, '1000']) {
      let caught: unknown;
      try {
        musterFor({ namespaces: { ns: { reportRetentionMs: bad as number } } });
      } catch (error) {
        caught = error;
      }
      expect(MusterError.is(caught, 'INVALID_ARGUMENT'), String(bad)).toBe(true);
      expect((caught as MusterError).details.field).toBe('namespaces.ns.reportRetentionMs');
    }
  });
});
