// Kafka-specific report behaviour beyond the kit: two slot instances (own consumers) share
// reports and marks, a mark on one waits for a report saved later on the other, a 100,000-target
// report survives the round trip with its message ids, message ids of other forms are kept, a
// sweep's tombstones remove expired reports for every reader, and bad options are refused.
import { randomUUID } from 'node:crypto';
import { type DurabilitySlot, type MulticastReport, MusterError } from '@muster/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createKafkaDurability } from '../src/index.js';
import { deleteByPrefix, kafkaAvailable, uniquePrefix } from './support/kafka-test-env.js';

const prefix = uniquePrefix('reports');
const available = await kafkaAvailable('reports');
const MINUTE = 60_000;

function queued(identities: readonly string[], multicastId = randomUUID()): MulticastReport {
  return {
    multicastId,
    targetCount: identities.length,
    deliveredCount: 0,
    deliveries: identities.map((identity) => ({ identity, status: 'QUEUED' })),
  };
}

describe.runIf(available)('kafka: multicast reports', () => {
  let open: DurabilitySlot[] = [];
  function slot(): DurabilitySlot {
    const created = createKafkaDurability({ topicPrefix: prefix });
    open.push(created);
    return created;
  }
  afterEach(async () => {
    for (const s of open) await s.close();
    open = [];
  });
  afterAll(() => deleteByPrefix(prefix));

  it('a report saved and marked on one instance loads on another, and a mark waits for its report', async () => {
    const [a, b] = [slot(), slot()];
    const namespace = `shared-${randomUUID()}`;
    const now = Date.now();
    const first = queued(['x', 'y']);
    await a.saveReport!(namespace, first, now + MINUTE);
    expect(await b.loadReport!(namespace, first.multicastId, now)).toEqual(first);
    await b.markDelivered!(
      namespace,
      [{ multicastId: first.multicastId, identity: 'y', expiresAt: now + MINUTE }],
      now,
    );
    const marked = await a.loadReport!(namespace, first.multicastId, now);
    expect(marked?.deliveries.map((d) => d.status)).toEqual(['QUEUED', 'DELIVERED']);
    expect(marked?.deliveredCount).toBe(1);

    const early = queued(['p', 'q']);
    await b.markDelivered!(
      namespace,
      [{ multicastId: early.multicastId, identity: 'q', expiresAt: now + MINUTE }],
      now,
    );
    await a.saveReport!(namespace, early, now + MINUTE);
    expect((await b.loadReport!(namespace, early.multicastId, now))?.deliveries).toEqual([
      { identity: 'p', status: 'QUEUED' },
      { identity: 'q', status: 'DELIVERED' },
    ]);
  });

  it('a 100,000-target report round-trips, message ids of the indexed form included', async () => {
    const s = slot();
    const namespace = `large-${randomUUID()}`;
    const multicastId = randomUUID();
    const report: MulticastReport = {
      multicastId,
      targetCount: 100_000,
      deliveredCount: 0,
      deliveries: Array.from({ length: 100_000 }, (_, i) => ({
        identity: `device-${String(i).padStart(6, '0')}`,
        status: 'QUEUED' as const,
        messageId: `${multicastId}-${i}`,
      })),
    };
    const now = Date.now();
    await s.saveReport!(namespace, report, now + MINUTE);
    expect(await s.loadReport!(namespace, multicastId, now)).toEqual(report);
  });

  it('message ids of other forms and missing ones are kept as given', async () => {
    const s = slot();
    const namespace = `ids-${randomUUID()}`;
    const multicastId = randomUUID();
    const report: MulticastReport = {
      multicastId,
      targetCount: 3,
      deliveredCount: 1,
      deliveries: [
        { identity: 'a', status: 'DELIVERED', messageId: `${multicastId}-0` },
        { identity: 'b', status: 'SENT', messageId: 'custom id' },
        { identity: 'c', status: 'TIMEOUT' },
      ],
    };
    const now = Date.now();
    await s.saveReport!(namespace, report, now + MINUTE);
    expect(await s.loadReport!(namespace, multicastId, now)).toEqual(report);
  });

  it('trim tombstones reports expired for over a minute: a fresh reader no longer finds them', async () => {
    const a = slot();
    const namespace = `sweep-${randomUUID()}`;
    const now = Date.now();
    const expiring = queued(['a']);
    const lasting = queued(['b']);
    await a.saveReport!(namespace, expiring, now + MINUTE);
    await a.saveReport!(namespace, lasting, now + 60 * MINUTE);
    await a.markDelivered!(
      namespace,
      [{ multicastId: expiring.multicastId, identity: 'a', expiresAt: now + MINUTE }],
      now,
    );
    // The sweep runs once this instance reads the topics.
    expect(await a.loadReport!(namespace, expiring.multicastId, now)).toBeDefined();
    await a.trim(namespace, now + 3 * MINUTE);
    const b = slot();
    // By the caller's (earlier) clock it would still be live: only the tombstone removes it.
    expect(await b.loadReport!(namespace, expiring.multicastId, now)).toBeUndefined();
    expect(await b.loadReport!(namespace, lasting.multicastId, now)).toEqual(lasting);
  });

  it('refuses a bad reportMaxAgeMs and an unknown delivery status with INVALID_ARGUMENT', async () => {
    expect(() => createKafkaDurability({ topicPrefix: prefix, reportMaxAgeMs: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    const s = slot();
    const bad = {
      ...queued(['a']),
      deliveries: [{ identity: 'a', status: 'LOST' }],
    } as unknown as MulticastReport;
    const error = await s.saveReport!('bad', bad, Date.now() + MINUTE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MusterError);
    expect((error as MusterError).code).toBe('INVALID_ARGUMENT');
  });
});

if (!available) it.skip('kafka multicast reports (no broker)', () => {});
