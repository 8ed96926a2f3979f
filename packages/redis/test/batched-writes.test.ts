// The batched put script: many puts in one call (one HMGET, writes applied per key, one stream
// entry for all events). Checks what the conformance kit does not single out: a create over an
// expired record when it skips the pre-read of old index entries, the same identity twice in one
// batch, and a watcher receiving every event of one batch entry, in order.
import { uniqueNamespace, waitFor } from '@muster/conformance';
import type { RegistryChange } from '@muster/core';
import { parse } from '@muster/filter';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisRegistry } from '../src/index.js';
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
  });
}
