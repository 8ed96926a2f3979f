// Connections: dropped connections are re-established without a new registry (including the
// watch connection), and an unreachable server rejects with UNAVAILABLE within the timeout.
import { makeRecord, query, uniqueNamespace, waitFor } from '@muster/conformance';
import { MusterError, type RegistryChange } from '@muster/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisRegistry } from '../src/index.js';
import {
  dropPrefix,
  REDIS_URL,
  redisAvailable,
  uniquePrefix,
} from './support/redis-test-server.js';

const keyPrefix = uniquePrefix('reconnect');

/** Kills the server side of every connection with this CLIENT SETNAME; returns how many. */
async function killConnections(admin: Redis, name: string): Promise<number> {
  const list = await admin.call('CLIENT', 'LIST', 'TYPE', 'normal');
  const ids = String(list)
    .split('\n')
    .filter((line) => line.includes(` name=${name} `))
    .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1])
    .filter((id): id is string => id !== undefined);
  for (const id of ids) await admin.client('KILL', 'ID', id);
  return ids.length;
}

if (await redisAvailable()) {
  afterAll(() => dropPrefix(keyPrefix));

  describe('redis connections', () => {
    it('operations and watches succeed again after the server drops the connections', async () => {
      const connectionName = `muster-reconnect-${process.pid}`;
      const registry = createRedisRegistry({ url: REDIS_URL, keyPrefix, connectionName });
      const admin = new Redis(REDIS_URL);
      try {
        const namespace = uniqueNamespace('reconnect');
        const now = Date.now();
        const changes: RegistryChange[] = [];
        const stop = await registry.watch!(namespace, (change) => changes.push(change));
        await registry.put(namespace, makeRecord('before', {}, now), { mode: 'create' }, now);
        await waitFor(() => changes.length === 1, 'the first change');

        // The registry's command connection and the watch's blocking connection.
        expect(await killConnections(admin, connectionName)).toBeGreaterThanOrEqual(2);

        await registry.put(namespace, makeRecord('after', {}, now), { mode: 'create' }, now);
        const page = await registry.enumerate(namespace, query(), now);
        expect(page.items.map((record) => record.identity)).toEqual(['after', 'before']);
        await waitFor(() => changes.length === 2, 'the change made after the drop');
        expect(changes.map((change) => change.identity)).toEqual(['before', 'after']);
        await stop();
      } finally {
        await registry.close();
        admin.disconnect();
      }
    });

    it('an unreachable server rejects with UNAVAILABLE within the configured timeout', async () => {
      // Port 1 on loopback: nothing listens there.
      const registry = createRedisRegistry({
        url: 'redis://127.0.0.1:1',
        keyPrefix,
        commandTimeoutMs: 500,
        connectTimeoutMs: 500,
      });
      try {
        const started = Date.now();
        const now = Date.now();
        for (const call of [
          () => registry.put('n', makeRecord('x', {}, now), { mode: 'create' }, now),
          () => registry.get('n', 'x', now),
          () => registry.enumerate('n', query(), now),
          () => registry.sweep('n', now, 10),
        ]) {
          const error = await call().then(
            () => undefined,
            (reason: unknown) => reason,
          );
          expect(MusterError.is(error, 'UNAVAILABLE'), String(error)).toBe(true);
        }
        expect(Date.now() - started).toBeLessThan(4 * 1_500);
      } finally {
        await registry.close();
      }
    });
  });
} else {
  describe.skip('redis connections (no Redis reachable)', () => {
    it('needs a Redis server', () => undefined);
  });
}
