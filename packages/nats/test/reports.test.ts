// The JetStream report store beyond the conformance kit: reports larger than a NATS message
// (split into parts), a re-save with fewer parts, identities that need token encoding, a
// second connection reading what the first wrote, and the stream's key-like configuration.
import type { DurabilitySlot, MulticastReport } from '@muster/core';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, nanos } from '@nats-io/transport-node';
import { afterAll, expect, it } from 'vitest';
import { createJetStreamDurability } from '../src/index.js';
import { reportSubjects } from '../src/report-subjects.js';
import { deleteReportStreams } from './support/delete-report-streams.js';
import { NATS_URL, natsReachable, uniquePrefix } from './support/nats-url.js';

const reachable = await natsReachable();
const prefix = uniquePrefix('rep');
const MINUTE = 60_000;
if (reachable) afterAll(() => deleteReportStreams(NATS_URL, prefix));

function queued(multicastId: string, count: number): MulticastReport {
  const deliveries = Array.from({ length: count }, (_, i) => ({
    identity: `device-${String(i).padStart(6, '0')}`,
    status: 'QUEUED' as const,
  }));
  return { multicastId, targetCount: count, deliveredCount: 0, deliveries };
}

async function withSlots(
  run: (first: DurabilitySlot, second: DurabilitySlot) => Promise<void>,
): Promise<void> {
  const first = await createJetStreamDurability({ servers: NATS_URL, subjectPrefix: prefix });
  const second = await createJetStreamDurability({ servers: NATS_URL, subjectPrefix: prefix });
  try {
    await run(first, second);
  } finally {
    await first.close();
    await second.close();
  }
}

async function partCount(namespace: string, multicastId: string): Promise<number> {
  const nc = await connect({ servers: NATS_URL, reconnect: false });
  try {
    const manager = await jetstreamManager(nc);
    const subjects = reportSubjects(prefix);
    const base = subjects.part(namespace, multicastId, 0).slice(0, -1);
    const info = await manager.streams.info(subjects.reportStream, {
      subjects_filter: `${base}*`,
    });
    return Object.keys(info.state.subjects ?? {}).length;
  } finally {
    await nc.close();
  }
}

it.runIf(reachable)(
  'a 100,000-target report is split into parts and read back whole, marks included, by another connection',
  async () => {
    await withSlots(async (first, second) => {
      const namespace = 'big';
      const now = Date.now();
      const report = queued('11111111-0000-4000-8000-000000000001', 100_000);
      await first.saveReport!(namespace, report, now + MINUTE);
      expect(await partCount(namespace, report.multicastId)).toBeGreaterThan(1);
      const acked = ['device-000000', 'device-050000', 'device-099999'];
      await second.markDelivered!(
        namespace,
        acked.map((identity) => ({ multicastId: report.multicastId, identity, expiresAt: now })),
        now,
      );
      const loaded = await second.loadReport!(namespace, report.multicastId, now);
      expect(loaded?.targetCount).toBe(100_000);
      expect(loaded?.deliveredCount).toBe(3);
      expect(loaded?.deliveries.length).toBe(100_000);
      expect(loaded?.deliveries[50_000]).toEqual({
        identity: 'device-050000',
        status: 'DELIVERED',
      });
      expect(loaded?.deliveries[50_001]).toEqual({ identity: 'device-050001', status: 'QUEUED' });

      // Saved again smaller: the stale parts of the larger save are not read.
      const smaller = queued(report.multicastId, 2);
      await second.saveReport!(namespace, smaller, now + MINUTE);
      const reloaded = await first.loadReport!(namespace, report.multicastId, now);
      expect(reloaded?.deliveries).toEqual([
        { identity: 'device-000000', status: 'DELIVERED' },
        { identity: 'device-000001', status: 'QUEUED' },
      ]);
    });
  },
  60_000,
);

it.runIf(reachable)(
  'namespaces, ids and identities that are not plain tokens are encoded',
  async () => {
    await withSlots(async (first, second) => {
      const namespace = 'ns.with *wild> cards';
      const multicastId = 'id.*>';
      const identities = ['a.b', '*', '>', 'é ü', ''.padEnd(3, '_')];
      const now = Date.now();
      const report: MulticastReport = {
        multicastId,
        targetCount: identities.length,
        deliveredCount: 0,
        deliveries: [...identities].sort().map((identity) => ({ identity, status: 'SENT' })),
      };
      await first.markDelivered!(
        namespace,
        ['*', 'é ü'].map((identity) => ({ multicastId, identity, expiresAt: now + MINUTE })),
        now,
      );
      await first.saveReport!(namespace, report, now + MINUTE);
      const loaded = await second.loadReport!(namespace, multicastId, now);
      expect(
        loaded?.deliveries.filter((d) => d.status === 'DELIVERED').map((d) => d.identity),
      ).toEqual(['*', 'é ü']);
      expect(await second.loadReport!('ns.with', multicastId, now)).toBeUndefined();
    });
  },
);

it.runIf(reachable)('the streams keep one report per subject and expire on their own', async () => {
  await withSlots(async (first) => {
    const now = Date.now();
    await first.saveReport!('cfg', queued('33333333-0000-4000-8000-000000000003', 1), now + MINUTE);
    const nc = await connect({ servers: NATS_URL, reconnect: false });
    try {
      const manager = await jetstreamManager(nc);
      const { reportStream, marksStream } = reportSubjects(prefix);
      const reports = await manager.streams.info(reportStream);
      const marks = await manager.streams.info(marksStream);
      // A report subject is a key (its newest message only); a marks subject holds every mark.
      expect(reports.config.max_msgs_per_subject).toBe(1);
      expect(marks.config.max_msgs_per_subject).toBe(-1);
      // The server expires what the callers forget: the longest report life plus an hour.
      for (const info of [reports, marks])
        expect(info.config.max_age).toBe(nanos(7 * 24 * 3_600_000 + 3_600_000));
    } finally {
      await nc.close();
    }
  });
});

it('rejects a reportMaxAgeMs that is not a positive integer', async () => {
  for (const reportMaxAgeMs of [0, -1, 1.5, Number.NaN])
    await expect(
      createJetStreamDurability({ servers: NATS_URL, subjectPrefix: prefix, reportMaxAgeMs }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
});
