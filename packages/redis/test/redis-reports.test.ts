// What the durability kit does not see of the stored reports: the Redis layout (one hash per
// multicast under the namespace's hash tag), the keys' own expiry (expiresAt plus a grace, never
// shortened by a mark), marks that expired before their report, large reports, and bad input.

import { expectMusterError, uniqueNamespace } from '@muster/conformance';
import type { MulticastReport } from '@muster/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisDurability, namespaceTag } from '../src/index.js';
import { REPORT_EXPIRY_GRACE_MS } from '../src/redis-durability.js';
import { reportKey } from '../src/report-keys.js';
import {
  dropPrefix,
  REDIS_URL,
  redisAvailable,
  uniquePrefix,
} from './support/redis-test-server.js';

const keyPrefix = uniquePrefix('redis-reports');
const MINUTE = 60_000;
let counter = 0;

function queued(identities: readonly string[]): MulticastReport {
  counter++;
  return {
    multicastId: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    targetCount: identities.length,
    deliveredCount: 0,
    deliveries: identities.map((identity) => ({ identity, status: 'QUEUED' })),
  };
}

async function withSlot(
  body: (
    slot: ReturnType<typeof createRedisDurability>,
    admin: Redis,
    namespace: string,
  ) => Promise<void>,
): Promise<void> {
  const slot = createRedisDurability({ url: REDIS_URL, keyPrefix });
  const admin = new Redis(REDIS_URL);
  try {
    await body(slot, admin, uniqueNamespace('reports'));
  } finally {
    await slot.close();
    admin.disconnect();
  }
}

if (await redisAvailable()) {
  afterAll(() => dropPrefix(keyPrefix));

  describe('redis durability reports', () => {
    it('one hash per multicast under the namespace tag: b, e and m:<identity>', async () => {
      await withSlot(async (slot, admin, namespace) => {
        const report = queued(['a', 'b']);
        const expiresAt = Date.now() + MINUTE;
        await slot.saveReport!(namespace, report, expiresAt);
        const now = Date.now();
        await slot.markDelivered!(
          namespace,
          [{ multicastId: report.multicastId, identity: 'b', expiresAt }],
          now,
        );
        const key = reportKey(keyPrefix, namespace, report.multicastId);
        expect(key.startsWith(`${namespaceTag(keyPrefix, namespace)}:report:`)).toBe(true);
        expect((await admin.hkeys(key)).sort()).toEqual(['b', 'e', 'm:b']);
        expect(await admin.hget(key, 'e')).toBe(String(expiresAt));
        expect(await admin.pexpiretime(key)).toBe(expiresAt + REPORT_EXPIRY_GRACE_MS);
      });
    });

    it('the key lives to the latest deadline: a mark never shortens it, a save extends it', async () => {
      await withSlot(async (slot, admin, namespace) => {
        const now = Date.now();
        const report = queued(['a', 'b']);
        const key = reportKey(keyPrefix, namespace, report.multicastId);
        const { multicastId } = report;
        await slot.markDelivered!(
          namespace,
          [{ multicastId, identity: 'a', expiresAt: now + MINUTE }],
          now,
        );
        expect(await admin.pexpiretime(key), 'a waiting mark').toBe(
          now + MINUTE + REPORT_EXPIRY_GRACE_MS,
        );
        await slot.saveReport!(namespace, report, now + 10 * MINUTE);
        expect(await admin.pexpiretime(key)).toBe(now + 10 * MINUTE + REPORT_EXPIRY_GRACE_MS);
        await slot.markDelivered!(
          namespace,
          [{ multicastId, identity: 'b', expiresAt: now + 1 }],
          now,
        );
        expect(await admin.pexpiretime(key), 'a short mark').toBe(
          now + 10 * MINUTE + REPORT_EXPIRY_GRACE_MS,
        );
        const loaded = await slot.loadReport!(namespace, multicastId, now + 5 * MINUTE);
        expect(loaded?.deliveredCount).toBe(2);
      });
    });

    it('a mark already expired is not kept for a report that is not there', async () => {
      await withSlot(async (slot, admin, namespace) => {
        const now = Date.now();
        const report = queued(['a']);
        const { multicastId } = report;
        await slot.markDelivered!(namespace, [{ multicastId, identity: 'a', expiresAt: now }], now);
        expect(await admin.exists(reportKey(keyPrefix, namespace, multicastId))).toBe(0);
        await slot.saveReport!(namespace, report, now + MINUTE);
        expect((await slot.loadReport!(namespace, multicastId, now))?.deliveries).toEqual([
          { identity: 'a', status: 'QUEUED' },
        ]);
      });
    });

    it('a 100,000-target report: one compact value, marks for many targets in one call', async () => {
      await withSlot(async (slot, admin, namespace) => {
        const identities = Array.from(
          { length: 100_000 },
          (_, i) => `device-${String(i).padStart(6, '0')}`,
        );
        const report = queued(identities);
        const now = Date.now();
        await slot.saveReport!(namespace, report, now + MINUTE);
        const key = reportKey(keyPrefix, namespace, report.multicastId);
        expect(await admin.hlen(key), 'no field per target').toBe(2);
        expect(await admin.hstrlen(key, 'b')).toBeLessThan(100_000 * 16);
        const acked = identities.filter((_, i) => i % 10 === 0);
        await slot.markDelivered!(
          namespace,
          acked.map((identity) => ({
            multicastId: report.multicastId,
            identity,
            expiresAt: now + MINUTE,
          })),
          now,
        );
        const loaded = await slot.loadReport!(namespace, report.multicastId, now);
        expect(loaded?.targetCount).toBe(100_000);
        expect(loaded?.deliveredCount).toBe(10_000);
        expect(loaded?.deliveries[10]).toEqual({ identity: 'device-000010', status: 'DELIVERED' });
        expect(loaded?.deliveries[11]).toEqual({ identity: 'device-000011', status: 'QUEUED' });
      });
    });

    it('marks for several multicasts in one call each reach their own report', async () => {
      await withSlot(async (slot, _admin, namespace) => {
        const now = Date.now();
        const first = queued(['a', 'b']);
        const second = queued(['a', 'b']);
        await slot.saveReport!(namespace, first, now + MINUTE);
        await slot.markDelivered!(
          namespace,
          [
            { multicastId: first.multicastId, identity: 'a', expiresAt: now + MINUTE },
            { multicastId: second.multicastId, identity: 'b', expiresAt: now + MINUTE },
            { multicastId: first.multicastId, identity: 'b', expiresAt: now + MINUTE },
          ],
          now,
        );
        await slot.saveReport!(namespace, second, now + MINUTE);
        expect((await slot.loadReport!(namespace, first.multicastId, now))?.deliveredCount).toBe(2);
        expect(
          (await slot.loadReport!(namespace, second.multicastId, now))?.deliveries.map(
            (d) => d.status,
          ),
        ).toEqual(['QUEUED', 'DELIVERED']);
      });
    });

    it('bad times and ids are INVALID_ARGUMENT; a foreign value under the key loads undefined', async () => {
      await withSlot(async (slot, admin, namespace) => {
        const now = Date.now();
        const report = queued(['a']);
        await expectMusterError(
          slot.saveReport!(namespace, report, Number.NaN),
          'INVALID_ARGUMENT',
          'NaN expiresAt',
        );
        await expectMusterError(
          slot.markDelivered!(
            namespace,
            [{ multicastId: report.multicastId, identity: 'a', expiresAt: Infinity }],
            now,
          ),
          'INVALID_ARGUMENT',
          'an infinite mark',
        );
        await expectMusterError(
          slot.loadReport!(namespace, 'lone \ud800', now),
          'INVALID_ARGUMENT',
          'an id with a lone surrogate',
        );
        const key = reportKey(keyPrefix, namespace, report.multicastId);
        await admin.hset(key, 'b', 'garbage', 'e', String(now + MINUTE));
        expect(await slot.loadReport!(namespace, report.multicastId, now)).toBeUndefined();
      });
    });
  });
} else {
  describe.skip('redis durability reports (no Redis reachable)', () => {
    it('needs a Redis server', () => undefined);
  });
}
