// What the durability kit does not see: the Redis layout (one stream per identity with ids
// `0-<sequence>`, gone once empty or purged), big batches, age trims of out-of-order messages,
// and bad input.
import { expectMusterError, makeEnvelope, uniqueNamespace } from '@muster/conformance';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisDurability, createRedisMessaging, queueKeys } from '../src/index.js';
import {
  dropPrefix,
  REDIS_URL,
  redisAvailable,
  uniquePrefix,
} from './support/redis-test-server.js';

const keyPrefix = uniquePrefix('redis-durability');
const text = (payload: Uint8Array) => new TextDecoder().decode(payload);

if (await redisAvailable()) {
  afterAll(() => dropPrefix(keyPrefix));

  describe('redis durability', () => {
    it('one stream per identity, ids 0-<sequence>; acked empty streams and purged ones are gone', async () => {
      const slot = createRedisDurability({ url: REDIS_URL, keyPrefix });
      const admin = new Redis(REDIS_URL);
      try {
        const namespace = uniqueNamespace('layout');
        const keys = queueKeys(keyPrefix, namespace);
        const sequences = await slot.enqueue(
          namespace,
          [makeEnvelope('a', '1'), makeEnvelope('b', '2'), makeEnvelope('a', '3')],
          Date.now(),
        );
        const ids = (await admin.xrange(keys.stream('a'), '-', '+')).map(([id]) => id);
        expect(ids).toEqual([`0-${sequences[0]}`, `0-${sequences[2]}`]);
        expect(Number(await admin.get(keys.sequence))).toBe(sequences[2]);
        expect(await admin.zrange(keys.oldest, 0, -1)).toEqual(['a', 'b']);

        await slot.ack(namespace, 'a', [sequences[0]!]);
        expect(await admin.exists(keys.stream('a'))).toBe(1);
        await slot.ack(namespace, 'a', [sequences[2]!, sequences[2]!]);
        expect(await admin.exists(keys.stream('a')), 'the emptied stream is deleted').toBe(0);
        await slot.purge(namespace, 'b');
        expect(await admin.exists(keys.stream('b'))).toBe(0);
        expect(await admin.zcard(keys.oldest)).toBe(0);
        // The counter stays: the next sequence is still new.
        const [next] = await slot.enqueue(namespace, [makeEnvelope('a', '4')], Date.now());
        expect(next).toBe(sequences[2]! + 1);
      } finally {
        await slot.close();
        admin.disconnect();
      }
    });

    it('a batch larger than one script call keeps input order and per-identity order', async () => {
      const slot = createRedisDurability({ url: REDIS_URL, keyPrefix });
      try {
        const namespace = uniqueNamespace('big');
        const envelopes = Array.from({ length: 2_500 }, (_, i) =>
          makeEnvelope(`device-${i % 50}`, `${i}`),
        );
        const sequences = await slot.enqueue(namespace, envelopes, Date.now());
        expect(sequences).toHaveLength(2_500);
        for (let i = 1; i < sequences.length; i++) expect(sequences[i]).toBe(sequences[0]! + i);
        const read = await slot.read(namespace, 'device-7', { limit: 100 }, Date.now());
        expect(read.map((m) => text(m.envelope.payload))).toEqual(
          Array.from({ length: 50 }, (_, k) => `${k * 50 + 7}`),
        );
      } finally {
        await slot.close();
      }
    });

    it('age trim finds expired messages behind newer ones; read hides them before the trim', async () => {
      const slot = createRedisDurability({
        url: REDIS_URL,
        keyPrefix,
        retention: { maxAgeMs: 60_000 },
      });
      const admin = new Redis(REDIS_URL);
      try {
        const namespace = uniqueNamespace('age');
        const now = Date.now();
        await slot.enqueue(
          namespace,
          [
            makeEnvelope('a', 'new', { createdAt: now }),
            makeEnvelope('a', 'old', { createdAt: now - 120_000 }),
            makeEnvelope('a', 'recent', { createdAt: now - 10_000 }),
            makeEnvelope('b', 'old-b', { createdAt: now - 120_000 }),
          ],
          now,
        );
        const texts = async (identity: string) =>
          (await slot.read(namespace, identity, { limit: 10 }, now)).map((m) =>
            text(m.envelope.payload),
          );
        expect(await texts('a')).toEqual(['new', 'recent']);
        expect(await texts('b')).toEqual([]);
        const keys = queueKeys(keyPrefix, namespace);
        expect(await admin.xlen(keys.stream('a'))).toBe(3);
        await slot.trim(namespace, now);
        expect(await admin.xlen(keys.stream('a'))).toBe(2);
        expect(await admin.exists(keys.stream('b'))).toBe(0);
        expect(Number(await admin.zscore(keys.oldest, 'a'))).toBe(now - 10_000);
        // 55 s later 'recent' is 65 s old: deleted, even though a read at `now` would show it.
        await slot.trim(namespace, now + 55_000);
        expect(await texts('a')).toEqual(['new']);
        expect(await admin.xlen(keys.stream('a'))).toBe(1);
      } finally {
        await slot.close();
        admin.disconnect();
      }
    });

    it('length retention applies on enqueue', async () => {
      const slot = createRedisDurability({
        url: REDIS_URL,
        keyPrefix,
        retention: { maxLength: 2 },
      });
      try {
        const namespace = uniqueNamespace('length');
        await slot.enqueue(
          namespace,
          ['1', '2', '3'].map((t) => makeEnvelope('a', t)),
          Date.now(),
        );
        const read = await slot.read(namespace, 'a', { limit: 10 }, Date.now());
        expect(read.map((m) => text(m.envelope.payload))).toEqual(['2', '3']);
      } finally {
        await slot.close();
      }
    });

    it('bad input is INVALID_ARGUMENT', async () => {
      const builds: (() => unknown)[] = [
        () => createRedisDurability({ url: REDIS_URL, keyPrefix: 'a{b' }),
        () => createRedisDurability({ url: REDIS_URL, keyPrefix: '' }),
        () => createRedisMessaging({ url: REDIS_URL, keyPrefix: 'a}' }),
        () => createRedisDurability({ url: REDIS_URL, retention: { maxAgeMs: -1 } }),
        () => createRedisDurability({ url: REDIS_URL, retention: { maxLength: 1.5 } }),
      ];
      for (const build of builds)
        await expectMusterError(Promise.resolve().then(build), 'INVALID_ARGUMENT', 'a bad option');
      const slot = createRedisDurability({ url: REDIS_URL, keyPrefix });
      try {
        await expectMusterError(
          slot.read('n', 'a', { limit: -1 }, Date.now()),
          'INVALID_ARGUMENT',
          'a negative limit',
        );
        await expectMusterError(
          slot.read('n', 'a', { after: Number.NaN, limit: 1 }, Date.now()),
          'INVALID_ARGUMENT',
          'a NaN position',
        );
        // Nonsense sequences are acked as "not there": no error, nothing removed.
        const [sequence] = await slot.enqueue('n-bad', [makeEnvelope('a', 'kept')], Date.now());
        await slot.ack('n-bad', 'a', [-1, 0, 1.5, Number.NaN]);
        const read = await slot.read('n-bad', 'a', { limit: 10 }, Date.now());
        expect(read.map((m) => m.sequence)).toEqual([sequence]);
        await slot.purge('n-bad', 'a');
      } finally {
        await slot.close();
      }
    });
  });
} else {
  describe.skip('redis durability (no Redis reachable)', () => {
    it('needs a Redis server', () => undefined);
  });
}
