// Beyond the kit: how the PostgreSQL durability slot stores multicast reports. Each call is one
// statement (the coordinator saves a report for every multicast), a 100,000-target report is one
// compact row, marks stay in their own table, and trim deletes reports a grace after expiry
// with their marks, and marks that waited in vain.
import { expectMusterError, uniqueNamespace } from '@muster/conformance';
import type { DeliveryMark, MulticastReport } from '@muster/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_DELETE_GRACE_MS } from '../src/durability/postgres-durability.js';
import { PostgresDurability } from '../src/index.js';
import {
  DATABASE_URL,
  databaseReachable,
  dropSchema,
  uniqueSchema,
} from './support/test-database.js';

const reachable = await databaseReachable();
const schema = uniqueSchema('durability_reports');
const MINUTE = 60_000;

function queuedReport(multicastId: string, identities: readonly string[]): MulticastReport {
  return {
    multicastId,
    targetCount: identities.length,
    deliveredCount: 0,
    deliveries: identities.map((identity) => ({ identity, status: 'QUEUED' })),
  };
}

function marksFor(
  multicastId: string,
  identities: readonly string[],
  expiresAt: number,
): DeliveryMark[] {
  return identities.map((identity) => ({ multicastId, identity, expiresAt }));
}

describe.skipIf(!reachable)('postgres durability: stored multicast reports', () => {
  let slot: PostgresDurability;
  let client: pg.Client;
  /** Statements the slot's pool ran since the last reset. */
  let statements = 0;

  beforeAll(async () => {
    slot = new PostgresDurability({ url: DATABASE_URL, schema, poolSize: 2 });
    const pool = slot.pool;
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
      statements++;
      return query(...args);
    };
    await slot.loadReport('warm-up', 'none', Date.now()); // migrated before counting
    client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
  });
  afterAll(async () => {
    await slot?.close();
    await client?.end();
    await dropSchema(schema);
  });

  async function rowCounts(namespace: string): Promise<{ reports: number; marks: number }> {
    const result = await client.query<{ reports: number; marks: number }>(
      `SELECT (SELECT count(*)::int FROM "${schema}".durable_reports WHERE namespace = $1) AS reports,
              (SELECT count(*)::int FROM "${schema}".durable_report_marks WHERE namespace = $1) AS marks`,
      [namespace],
    );
    return result.rows[0]!;
  }

  it('a 100,000-target report is one compact row; save, mark and load are one statement each', async () => {
    const namespace = uniqueNamespace('rep-big');
    const now = Date.now();
    const multicastId = '0b7c3a52-8f4e-4e1a-9d7b-5f2a1c9e0d11';
    const identities = Array.from(
      { length: 100_000 },
      (_, n) => `device-${String(n).padStart(6, '0')}`,
    );
    const report: MulticastReport = {
      multicastId,
      targetCount: identities.length,
      deliveredCount: 50_000,
      deliveries: identities.map((identity, n) =>
        n % 2 === 0
          ? { identity, status: 'QUEUED' }
          : // As the coordinator passes the messaging slot's results through.
            ({ identity, status: 'DELIVERED', messageId: `${multicastId}-${n}` } as never),
      ),
    };
    statements = 0;
    await slot.saveReport(namespace, report, now + MINUTE);
    expect(statements, 'saveReport').toBe(1);
    const stored = await client.query<{ bytes: number }>(
      `SELECT pg_column_size(body) AS bytes FROM "${schema}".durable_reports
       WHERE namespace = $1 AND multicast_id = $2`,
      [namespace, multicastId],
    );
    // About 2.9 MB as plain JSON of the report; the column layout and TOAST keep it far smaller.
    expect(stored.rows[0]!.bytes).toBeLessThan(1_000_000);

    statements = 0;
    expect(await slot.loadReport(namespace, multicastId, now)).toEqual(report);
    expect(statements, 'loadReport').toBe(1);

    const acked = identities.filter((_, n) => n % 2 === 0).slice(0, 1_000);
    statements = 0;
    await slot.markDelivered(namespace, marksFor(multicastId, acked, now + MINUTE), now);
    expect(statements, 'markDelivered').toBe(1);
    const loaded = await slot.loadReport(namespace, multicastId, now);
    expect(loaded?.deliveredCount).toBe(51_000);
    expect(loaded?.deliveries[0]).toEqual({ identity: 'device-000000', status: 'DELIVERED' });
    expect(loaded?.deliveries[1]).toEqual(report.deliveries[1]);
    expect(loaded?.deliveries[2_000]).toEqual({ identity: 'device-002000', status: 'QUEUED' });
    expect(await rowCounts(namespace)).toEqual({ reports: 1, marks: 1_000 });
  });

  it('a re-save replaces the row and touches no mark; a mark never shortens a report', async () => {
    const namespace = uniqueNamespace('rep-resave');
    const now = Date.now();
    await slot.saveReport(namespace, queuedReport('m1', ['a', 'b']), now + 10 * MINUTE);
    await slot.markDelivered(namespace, marksFor('m1', ['a'], now + MINUTE), now);
    expect(
      (await slot.loadReport(namespace, 'm1', now + 5 * MINUTE))?.deliveredCount,
      'the report outlives its mark',
    ).toBe(1);
    statements = 0;
    await slot.saveReport(namespace, queuedReport('m1', ['a', 'b', 'c']), now + 10 * MINUTE);
    expect(statements).toBe(1);
    const loaded = await slot.loadReport(namespace, 'm1', now);
    expect(loaded?.deliveries.map((d) => d.status)).toEqual(['DELIVERED', 'QUEUED', 'QUEUED']);
    expect(await rowCounts(namespace)).toEqual({ reports: 1, marks: 1 });
  });

  it('an early mark already expired is not kept; one for a live report is', async () => {
    const namespace = uniqueNamespace('rep-early');
    const now = Date.now();
    await slot.markDelivered(namespace, marksFor('late', ['a'], now - 1), now);
    await slot.saveReport(namespace, queuedReport('late', ['a']), now + MINUTE);
    expect((await slot.loadReport(namespace, 'late', now))?.deliveredCount).toBe(0);
    await slot.markDelivered(namespace, marksFor('late', ['a'], now - 1), now);
    expect((await slot.loadReport(namespace, 'late', now))?.deliveredCount).toBe(1);
  });

  it('trim deletes reports a grace after they expire, with their marks, and stale early marks', async () => {
    const namespace = uniqueNamespace('rep-trim');
    const now = Date.now();
    await slot.saveReport(namespace, queuedReport('old', ['a']), now);
    await slot.markDelivered(namespace, marksFor('old', ['a'], now + 10 * MINUTE), now - 1);
    await slot.saveReport(namespace, queuedReport('live', ['a']), now + 10 * MINUTE);
    await slot.markDelivered(namespace, marksFor('live', ['a'], now + MINUTE), now);
    await slot.markDelivered(namespace, marksFor('never-saved', ['a'], now + MINUTE), now);
    const other = uniqueNamespace('rep-trim-other');
    await slot.saveReport(other, queuedReport('old', ['a']), now);

    await slot.trim(namespace, now + REPORT_DELETE_GRACE_MS - 1);
    expect(await rowCounts(namespace), 'within the grace').toEqual({ reports: 2, marks: 3 });

    await slot.trim(namespace, now + 2 * MINUTE + REPORT_DELETE_GRACE_MS);
    // `old` went with its mark; `live`'s mark stays with it although its own expiry passed.
    expect(await rowCounts(namespace)).toEqual({ reports: 1, marks: 1 });
    expect((await slot.loadReport(namespace, 'live', now))?.deliveredCount).toBe(1);
    expect(await rowCounts(other), 'another namespace is its own trim').toEqual({
      reports: 1,
      marks: 0,
    });
  });

  it('bad input is INVALID_ARGUMENT before any statement', async () => {
    const now = Date.now();
    statements = 0;
    await expectMusterError(
      slot.saveReport('ns', { ...queuedReport('x', ['a']), multicastId: '' }, now + MINUTE),
      'INVALID_ARGUMENT',
      'empty multicastId',
    );
    await expectMusterError(
      slot.saveReport(
        'ns',
        { ...queuedReport('x', ['a']), deliveries: [{ identity: 1 }] as never },
        now + MINUTE,
      ),
      'INVALID_ARGUMENT',
      'identity not a string',
    );
    await expectMusterError(
      slot.saveReport('ns', queuedReport('x', ['a']), Number.NaN),
      'INVALID_ARGUMENT',
      'expiresAt',
    );
    await expectMusterError(
      slot.markDelivered('ns', [{ multicastId: 'x', identity: 'a' }] as never, now),
      'INVALID_ARGUMENT',
      'mark without expiresAt',
    );
    await expectMusterError(slot.loadReport('', 'x', now), 'INVALID_ARGUMENT', 'empty namespace');
    expect(statements).toBe(0);
  });
});
