// Guarantees (supports.reports): saveReport / markDelivered / loadReport exist; a saved report
// loads as saved; a mark turns its target DELIVERED (idempotently, without `error`) and
// deliveredCount follows; marks for non-targets are ignored; a mark made before its report is
// saved applies to it; saving again replaces the report and keeps the marks; a report is gone
// at `now >= expiresAt`; unknown ids load undefined; namespaces are separate; a closed slot
// rejects with UNAVAILABLE.
import type { DeliveryMark, DurabilitySlot, MulticastReport } from '@muster/core';
import { expect } from 'vitest';
import { expectMusterError } from '../support/expect-muster-error.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { type DurabilitySuiteContext, withDurability } from './durability-suite-context.js';

const MINUTE = 60_000;
let counter = 0;

/** A report of QUEUED targets (sorted, as the coordinator makes them), with a unique id. */
export function queuedReport(
  identities: readonly string[],
  multicastId = nextId(),
): MulticastReport {
  return {
    multicastId,
    targetCount: identities.length,
    deliveredCount: 0,
    deliveries: [...identities].sort().map((identity) => ({ identity, status: 'QUEUED' })),
  };
}

function nextId(): string {
  counter++;
  return `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
}

function statuses(report: MulticastReport | undefined): string[] | undefined {
  return report?.deliveries.map((d) => `${d.identity}:${d.status}`);
}

function marks(
  report: MulticastReport,
  identities: readonly string[],
  now: number,
): DeliveryMark[] {
  return identities.map((identity) => ({
    multicastId: report.multicastId,
    identity,
    expiresAt: now + MINUTE,
  }));
}

/** The report methods, which the kit has checked exist. */
function api(slot: DurabilitySlot) {
  return {
    save: slot.saveReport!.bind(slot),
    mark: slot.markDelivered!.bind(slot),
    load: slot.loadReport!.bind(slot),
  };
}

export function durabilityReportsSuite(context: DurabilitySuiteContext): void {
  const { test } = context;

  test('reports: the three methods exist and a saved report loads as saved', async () => {
    await withDurability(context, async (slot) => {
      expect(slot.supports.reports).toBe(true);
      for (const method of ['saveReport', 'markDelivered', 'loadReport'] as const)
        expect(typeof slot[method], `${method}() exists when supports.reports`).toBe('function');
      const { save, load } = api(slot);
      const namespace = uniqueNamespace('drep');
      const now = Date.now();
      const report: MulticastReport = {
        multicastId: nextId(),
        targetCount: 4,
        deliveredCount: 1,
        deliveries: [
          { identity: 'a', status: 'DELIVERED' },
          { identity: 'b', status: 'FAILED', error: { code: 'UNAVAILABLE', message: 'down' } },
          { identity: 'c', status: 'NO_SUBSCRIBER' },
          { identity: 'd', status: 'SENT' },
        ],
      };
      await save(namespace, report, now + MINUTE);
      expect(await load(namespace, report.multicastId, now)).toEqual(report);
      expect(await load(namespace, nextId(), now), 'an unknown id').toBeUndefined();
    });
  });

  test('reports: markDelivered turns targets DELIVERED, idempotently, and recounts', async () => {
    await withDurability(context, async (slot) => {
      const { save, mark, load } = api(slot);
      const namespace = uniqueNamespace('drep-mark');
      const now = Date.now();
      const report = queuedReport(['a', 'b', 'c']);
      await save(namespace, report, now + MINUTE);
      await mark(namespace, marks(report, ['b'], now), now);
      await mark(namespace, marks(report, ['b', 'b'], now), now);
      await mark(namespace, marks(report, ['not-a-target'], now), now);
      await mark(namespace, [], now);
      let loaded = await load(namespace, report.multicastId, now);
      expect(statuses(loaded)).toEqual(['a:QUEUED', 'b:DELIVERED', 'c:QUEUED']);
      expect(loaded?.deliveredCount).toBe(1);
      expect(loaded?.targetCount).toBe(3);
      expect(loaded?.multicastId).toBe(report.multicastId);
      await mark(namespace, marks(report, ['a', 'c'], now), now);
      loaded = await load(namespace, report.multicastId, now);
      expect(statuses(loaded)).toEqual(['a:DELIVERED', 'b:DELIVERED', 'c:DELIVERED']);
      expect(loaded?.deliveredCount).toBe(3);
    });
  });

  test('reports: a FAILED or TIMEOUT target that was acked after all is DELIVERED, no error', async () => {
    await withDurability(context, async (slot) => {
      const { save, mark, load } = api(slot);
      const namespace = uniqueNamespace('drep-late');
      const now = Date.now();
      const report: MulticastReport = {
        multicastId: nextId(),
        targetCount: 2,
        deliveredCount: 0,
        deliveries: [
          { identity: 'a', status: 'FAILED', error: { code: 'UNAVAILABLE', message: 'down' } },
          { identity: 'b', status: 'TIMEOUT' },
        ],
      };
      await save(namespace, report, now + MINUTE);
      await mark(namespace, marks(report, ['a', 'b'], now), now);
      expect((await load(namespace, report.multicastId, now))?.deliveries).toEqual([
        { identity: 'a', status: 'DELIVERED' },
        { identity: 'b', status: 'DELIVERED' },
      ]);
    });
  });

  test('reports: a mark made before its report is saved applies to it; a re-save keeps marks', async () => {
    await withDurability(context, async (slot) => {
      const { save, mark, load } = api(slot);
      const namespace = uniqueNamespace('drep-early');
      const now = Date.now();
      const report = queuedReport(['a', 'b']);
      await mark(namespace, marks(report, ['a'], now), now);
      expect(await load(namespace, report.multicastId, now), 'no report yet').toBeUndefined();
      await save(namespace, report, now + MINUTE);
      expect(statuses(await load(namespace, report.multicastId, now))).toEqual([
        'a:DELIVERED',
        'b:QUEUED',
      ]);
      const replaced = queuedReport(['a', 'b', 'c'], report.multicastId);
      await save(namespace, replaced, now + MINUTE);
      const loaded = await load(namespace, report.multicastId, now);
      expect(statuses(loaded)).toEqual(['a:DELIVERED', 'b:QUEUED', 'c:QUEUED']);
      expect(loaded?.targetCount).toBe(3);
    });
  });

  test('reports: gone at now >= expiresAt, found just before', async () => {
    await withDurability(context, async (slot) => {
      const { save, mark, load } = api(slot);
      const namespace = uniqueNamespace('drep-expiry');
      const now = Date.now();
      const report = queuedReport(['a']);
      const expiresAt = now + MINUTE;
      await save(namespace, report, expiresAt);
      expect(await load(namespace, report.multicastId, expiresAt - 1)).toBeDefined();
      expect(await load(namespace, report.multicastId, expiresAt)).toBeUndefined();
      await mark(namespace, marks(report, ['a'], now), now);
      expect(statuses(await load(namespace, report.multicastId, now))).toEqual(['a:DELIVERED']);
      expect(
        await load(namespace, report.multicastId, expiresAt + MINUTE),
        'marks do not revive an expired report',
      ).toBeUndefined();
    });
  });

  test('reports: namespaces are separate', async () => {
    await withDurability(context, async (slot) => {
      const { save, mark, load } = api(slot);
      const east = uniqueNamespace('drep-east');
      const west = uniqueNamespace('drep-west');
      const now = Date.now();
      const multicastId = nextId();
      const inEast = queuedReport(['a'], multicastId);
      await save(east, inEast, now + MINUTE);
      expect(await load(west, multicastId, now), 'not in the other namespace').toBeUndefined();
      await save(west, queuedReport(['a', 'b'], multicastId), now + MINUTE);
      await mark(west, marks(inEast, ['a'], now), now);
      expect(statuses(await load(east, multicastId, now))).toEqual(['a:QUEUED']);
      expect(statuses(await load(west, multicastId, now))).toEqual(['a:DELIVERED', 'b:QUEUED']);
    });
  });

  test('reports: a closed slot rejects the report methods with UNAVAILABLE', async () => {
    await withDurability(context, async (slot) => {
      const { save, mark, load } = api(slot);
      const namespace = uniqueNamespace('drep-closed');
      const report = queuedReport(['a']);
      const now = Date.now();
      await slot.close();
      await expectMusterError(save(namespace, report, now + MINUTE), 'UNAVAILABLE', 'saveReport');
      await expectMusterError(
        mark(namespace, marks(report, ['a'], now), now),
        'UNAVAILABLE',
        'markDelivered',
      );
      await expectMusterError(
        load(namespace, report.multicastId, now),
        'UNAVAILABLE',
        'loadReport',
      );
    });
  });
}
