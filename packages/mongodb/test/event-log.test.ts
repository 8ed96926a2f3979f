// The event log under contention: three adapter instances write at once; the sequence numbers
// stay unique and gap-free, every event lands exactly once, and a watcher on a fourth instance
// receives all of them.
import type { RegistryChange, RegistrySlot } from '@muster/core';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createMongoRegistry } from '../src/index.js';
import {
  dropPrefix,
  MONGODB_URL,
  mongoAvailable,
  TEST_DATABASE,
  uniquePrefix,
} from './support/mongo-url.js';

const available = await mongoAvailable();
const prefix = uniquePrefix('eventlog');

function registry(): RegistrySlot {
  return createMongoRegistry({
    url: MONGODB_URL,
    database: TEST_DATABASE,
    collectionPrefix: prefix,
    reapAfterSeconds: false,
    watchPollMs: 20,
  });
}

describe.skipIf(!available)('event log', () => {
  const slots: RegistrySlot[] = [];

  afterAll(async () => {
    for (const slot of slots) await slot.close();
    await dropPrefix(prefix);
  });

  it('keeps sequence numbers unique and gap-free with concurrent writers', async () => {
    const writers = [registry(), registry(), registry()];
    const watcher = registry();
    slots.push(...writers, watcher);
    const seen: RegistryChange[] = [];
    const stop = await watcher.watch!('log', (change) => seen.push(change));
    const now = Date.now();
    const perWriter = 60;
    await Promise.all(
      writers.map((writer, w) =>
        Promise.all(
          Array.from({ length: perWriter }, (_, i) =>
            writer.put(
              'log',
              {
                identity: `w${w}-${i}`,
                metadata: { w, i },
                registeredAt: now,
                updatedAt: now,
                expiresAt: null,
              },
              { mode: 'create' },
              now,
            ),
          ),
        ),
      ),
    );
    const total = writers.length * perWriter;
    const deadline = Date.now() + 20_000;
    while (seen.length < total && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await stop();
    expect(seen.length).toBe(total);
    expect(new Set(seen.map((change) => change.identity)).size).toBe(total);
    expect(seen.every((change) => change.type === 'registered')).toBe(true);

    const client = new MongoClient(MONGODB_URL);
    try {
      const ids = (
        await client
          .db(TEST_DATABASE)
          .collection<{ _id: number }>(`${prefix}events`)
          .find({}, { projection: { _id: 1 }, sort: { _id: 1 } })
          .toArray()
      ).map((event) => event._id);
      expect(ids).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    } finally {
      await client.close();
    }
  });
});
