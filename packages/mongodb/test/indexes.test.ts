// Indexes and server detection: ensureIndexes creates (ns, metadata path) indexes, the TTL index
// on reapAt exists unless disabled, and the adapter recognises mongo-java-server, whose filter
// deviations it then refines in Node (trusting that server fully gives wrong answers).

import { nodes } from '@muster/filter';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createMongoRegistry, type MongoRegistryOptions } from '../src/index.js';
import {
  dropPrefix,
  MONGODB_URL,
  mongoAvailable,
  TEST_DATABASE,
  uniquePrefix,
} from './support/mongo-url.js';

const available = await mongoAvailable();
const prefix = uniquePrefix('indexes');
const client = new MongoClient(MONGODB_URL, { serverSelectionTimeoutMS: 3_000 });
const isJavaServer = available
  ? typeof (await client.db('admin').command({ buildInfo: 1 })).gitVersion !== 'string'
  : false;

function registry(options: Partial<MongoRegistryOptions> = {}) {
  return createMongoRegistry({
    url: MONGODB_URL,
    database: TEST_DATABASE,
    collectionPrefix: prefix,
    ...options,
  });
}

const now = Date.now();
const record = (identity: string, metadata: Record<string, unknown>) => ({
  identity,
  metadata,
  registeredAt: now,
  updatedAt: now,
  expiresAt: null,
});

describe.skipIf(!available)('indexes and server detection', () => {
  afterAll(async () => {
    await client.close();
    await dropPrefix(prefix);
  });

  it('creates the base indexes, the TTL index and one index per schema path', async () => {
    const slot = registry();
    try {
      await slot.ensureIndexes!('ns', [['device_type'], ['location', 'city']]);
      const indexes = await client
        .db(TEST_DATABASE)
        .collection(`${prefix}identities`)
        .listIndexes()
        .toArray();
      const byName = new Map(indexes.map((index) => [index.name as string, index]));
      expect(byName.get('ns_metadata.device_type')?.key).toEqual({
        ns: 1,
        'metadata.device_type': 1,
      });
      expect(byName.get('ns_metadata.location.city')?.key).toEqual({
        ns: 1,
        'metadata.location.city': 1,
      });
      expect(byName.get('ns_identity')?.key).toEqual({ ns: 1, identity: 1 });
      expect(byName.get('ns_expiresAt')?.key).toEqual({ ns: 1, expiresAt: 1 });
      expect(byName.get('ttl_reapAt')?.expireAfterSeconds).toBe(0);
      // Idempotent.
      await slot.ensureIndexes!('other', [['device_type']]);
    } finally {
      await slot.close();
    }
  });

  it('stores reapAt (expiry plus the grace period) for the TTL index, and none without a TTL', async () => {
    const slot = registry({ reapAfterSeconds: 60 });
    try {
      await slot.put(
        'reap',
        { ...record('t', {}), expiresAt: now + 1_000 },
        { mode: 'create' },
        now,
      );
      await slot.put('reap', record('forever', {}), { mode: 'create' }, now);
      const stored = client.db(TEST_DATABASE).collection(`${prefix}identities`);
      const ttl = await stored.findOne({ ns: 'reap', identity: 't' });
      expect(ttl?.reapAt).toEqual(new Date(now + 1_000 + 60_000));
      expect((await stored.findOne({ ns: 'reap', identity: 'forever' }))?.reapAt).toBeUndefined();
      await slot.touch('reap', 't', null, now);
      expect((await stored.findOne({ ns: 'reap', identity: 't' }))?.reapAt).toBeUndefined();
    } finally {
      await slot.close();
    }
  });

  it.skipIf(!isJavaServer)(
    'mongo-java-server: detected and refined in Node; trusted as MongoDB it answers wrongly',
    async () => {
      // startswith "" must match strings only; that server's $regex also matches numbers.
      const filter = nodes.startsWith(['fw'], '');
      const query = {
        filter,
        limit: 10,
        sort: [],
        includeMetadata: false,
        totalCount: true,
      };
      const namespace = 'quirks';
      const auto = registry();
      const trusting = registry({ serverQuirks: 'mongodb' });
      try {
        await auto.put(namespace, record('number', { fw: 103 }), { mode: 'create' }, now);
        await auto.put(namespace, record('string', { fw: '1.0.3' }), { mode: 'create' }, now);
        const refined = await auto.enumerate(namespace, query, now);
        expect(refined.items.map((item) => item.identity)).toEqual(['string']);
        expect(refined.totalCount).toBe(1);
        const trusted = await trusting.enumerate(namespace, query, now);
        expect(trusted.items.map((item) => item.identity)).toEqual(['number', 'string']);
      } finally {
        await auto.close();
        await trusting.close();
      }
    },
  );
});
