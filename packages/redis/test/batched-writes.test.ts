// The batched put script: many puts in one call (one HMGET, writes applied per key, one stream
// entry for all events). Checks what the conformance kit does not single out: a create over an
// expired record when it skips the pre-read of old index entries, the same identity twice in one
// batch, a watcher receiving every event of one batch entry, in order, and the two forms of a
// batch's events entry (the put fields as sent for a burst of registrations, packed events else).
import { uniqueNamespace, waitFor } from '@muster/conformance';
import type { RegistryChange } from '@muster/core';
import { parse } from '@muster/filter';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisRegistry } from '../src/index.js';
import { namespaceKeys } from '../src/namespace-keys.js';
import {
  dropPrefix,
  REDIS_URL,
  redisAvailable,
  uniquePrefix,
} from './support/redis-test-server.js';

const keyPrefix = uniquePrefix('batch');

if (await redisAvailable()) {
  afterAll(() => dropPrefix(keyPrefix));

  describe('batched puts', () => {
    it('a create over an expired record replaces its index entries and reports it expired', async () => {
      const registry = new RedisRegistry({ url: REDIS_URL, keyPrefix });
      try {
        const namespace = uniqueNamespace('batch-expired');
        await registry.ensureIndexes(namespace, [['kind']]);
        const now = 1_000_000;
        const changes: RegistryChange[] = [];
        const stop = await registry.watch(namespace, (change) => changes.push(change));
        const record = (identity: string, kind: string, expiresAt: number | null) => ({
          identity,
          metadata: { kind },
          registeredAt: now,
          updatedAt: now,
          expiresAt,
        });
        await registry.put(namespace, record('a', 'old', now + 10), { mode: 'create' }, now);
        // Expired, not swept: the create assumes no record, meets a conflict, reads and retries.
        const result = await registry.put(
          namespace,
          record('a', 'new', null),
          { mode: 'create' },
          now + 20,
        );
        expect(result.previous).toBeUndefined();
        const kinds = async (kind: string) =>
          (
            await registry.enumerate(
              namespace,
              {
                filter: parse(`kind == "${kind}"`),
                limit: 10,
                sort: [],
                includeMetadata: true,
                totalCount: false,
              },
              now + 30,
            )
          ).items.map((item) => item.identity);
        expect(await kinds('new')).toEqual(['a']);
        expect(await kinds('old')).toEqual([]);
        expect(await registry.explain(namespace, parse('kind == "old"'))).toMatchObject({
          walks: 'index',
        });
        await waitFor(() => changes.length >= 3, 'three events');
        expect(changes.map((change) => `${change.type}:${change.identity}`)).toEqual([
          'registered:a',
          'expired:a',
          'registered:a',
        ]);
        await stop();
      } finally {
        await registry.close();
      }
    });

    it('one batch: many identities, the same identity twice, every event in order', async () => {
      const registry = new RedisRegistry({ url: REDIS_URL, keyPrefix, putBatchSize: 300 });
      try {
        const namespace = uniqueNamespace('batch-many');
        await registry.ensureIndexes(namespace, [['n']]);
        const now = 2_000_000;
        const changes: RegistryChange[] = [];
        const stop = await registry.watch(namespace, (change) => changes.push(change));
        const put = (identity: string, n: number, mode: 'create' | 'replace') =>
          registry.put(
            namespace,
            {
              identity,
              metadata: { n, text: `ünïcode "${identity}"\n|,:` },
              registeredAt: now,
              updatedAt: now,
              expiresAt: n % 2 === 0 ? null : now + 1_000,
            },
            { mode },
            now,
          );
        // Issued in one turn: one batch (the duplicates conflict and are retried in order).
        const ids = Array.from({ length: 250 }, (_, i) => `id-${String(i).padStart(3, '0')}`);
        const results = await Promise.allSettled([
          ...ids.map((identity, i) => put(identity, i, 'create')),
          put('id-000', 1_000, 'replace'),
          put('id-001', 1_001, 'create'),
        ]);
        expect(results.slice(0, 250).every((r) => r.status === 'fulfilled')).toBe(true);
        expect(results[250]).toMatchObject({ status: 'fulfilled' });
        expect(results[251]).toMatchObject({
          status: 'rejected',
          reason: { code: 'ALREADY_EXISTS' },
        });
        expect(await registry.count(namespace, now)).toBe(250);
        const big = await registry.enumerate(
          namespace,
          {
            filter: parse('n >= 249'),
            limit: 10,
            sort: [],
            includeMetadata: true,
            totalCount: false,
          },
          now,
        );
        expect(big.items.map((item) => [item.identity, item.metadata.n])).toEqual([
          ['id-000', 1_000],
          ['id-249', 249],
        ]);
        expect((await registry.get(namespace, 'id-000', now))?.expiresAt).toBe(null);
        expect((await registry.get(namespace, 'id-001', now))?.expiresAt).toBe(now + 1_000);
        await waitFor(() => changes.length >= 251, 'every event');
        expect(changes).toHaveLength(251);
        expect(changes.slice(0, 250).map((change) => change.identity)).toEqual(ids);
        expect(changes[0]?.record?.metadata).toEqual({ n: 0, text: 'ünïcode "id-000"\n|,:' });
        expect(changes[250]).toMatchObject({
          type: 'updated',
          identity: 'id-000',
          record: { metadata: { n: 1_000 } },
          previous: { metadata: { n: 0 } },
        });
        await stop();
      } finally {
        await registry.close();
      }
    });

    it('a burst of registrations stores its fields as its events entry; other batches pack events', async () => {
      const registry = new RedisRegistry({ url: REDIS_URL, keyPrefix });
      const admin = new Redis(REDIS_URL);
      try {
        const namespace = uniqueNamespace('batch-entry');
        const stream = namespaceKeys(keyPrefix, namespace).events;
        const now = 3_000_000;
        const changes: RegistryChange[] = [];
        const stop = await registry.watch(namespace, (change) => changes.push(change));
        const record = (identity: string, n: number, expiresAt: number | null) => ({
          identity,
          metadata: { n, tags: [] as string[] },
          registeredAt: now,
          updatedAt: now,
          expiresAt,
        });
        // One turn: three new identities and a create of one of them again (refused).
        const first = await Promise.allSettled([
          registry.put(namespace, record('a', 1, null), { mode: 'create' }, now),
          registry.put(namespace, record('b', 2, now + 1_000), { mode: 'create' }, now),
          registry.put(namespace, record('a', 3, null), { mode: 'create' }, now),
          registry.put(namespace, record('c', 4, now + 2_000), { mode: 'create' }, now),
        ]);
        expect(first.map((result) => result.status)).toEqual([
          'fulfilled',
          'fulfilled',
          'rejected',
          'fulfilled',
        ]);
        // The next turn replaces a live record: an updated event, packed.
        const replaced = await registry.put(
          namespace,
          record('b', 5, null),
          { mode: 'replace' },
          now + 10,
        );
        expect(replaced.previous?.metadata).toEqual({ n: 2, tags: [] });
        expect(replaced.record).toMatchObject({ registeredAt: now, updatedAt: now + 10 });
        const entries = (await admin.xrange(stream, '-', '+')) as [string, string[]][];
        expect(entries.map(([, fields]) => fields.filter((_, i) => i % 2 === 0))).toEqual([
          ['f', 's'],
          ['m'],
        ]);
        expect(entries[0]![1][3]).toBe('nnen');
        await waitFor(() => changes.length >= 4, 'four events');
        expect(
          changes.map((change) => [change.type, change.identity, change.at, change.record]),
        ).toEqual([
          ['registered', 'a', now, record('a', 1, null)],
          ['registered', 'b', now, record('b', 2, now + 1_000)],
          ['registered', 'c', now, record('c', 4, now + 2_000)],
          [
            'updated',
            'b',
            now + 10,
            { ...record('b', 5, null), registeredAt: now, updatedAt: now + 10 },
          ],
        ]);
        expect(changes[3]?.previous).toEqual(record('b', 2, now + 1_000));
        await stop();
      } finally {
        admin.disconnect();
        await registry.close();
      }
    });
  });
}
