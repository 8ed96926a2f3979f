// Two adapter instances (two MongoClients, two connection pools) on the same collections back two
// coordinators: what one registers the other enumerates, expires (both sweeping at once) and
// watches. State and change events live only in the database.
import { AsyncReader, uniqueNamespace } from '@muster/conformance';
import {
  createMemoryMessaging,
  createMuster,
  ManualClock,
  type Muster,
  type RegistrySlot,
  type WatchEvent,
} from '@muster/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMongoRegistry } from '../src/index.js';
import {
  dropPrefix,
  MONGODB_URL,
  mongoAvailable,
  TEST_DATABASE,
  uniquePrefix,
} from './support/mongo-url.js';

const available = await mongoAvailable();
const prefix = uniquePrefix('two');
const clock = new ManualClock(Date.now());

function registry(): RegistrySlot {
  return createMongoRegistry({
    url: MONGODB_URL,
    database: TEST_DATABASE,
    collectionPrefix: prefix,
    reapAfterSeconds: false,
    watchPollMs: 20,
  });
}

describe.skipIf(!available)('two adapter instances behind two coordinators', () => {
  const registries: RegistrySlot[] = [];
  let a: Muster;
  let b: Muster;

  beforeAll(() => {
    registries.push(registry(), registry());
    const messaging = createMemoryMessaging();
    a = createMuster({ registry: registries[0]!, messaging, durability: null, clock });
    b = createMuster({ registry: registries[1]!, messaging, durability: null, clock });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const slot of registries) await slot.close();
    await dropPrefix(prefix);
  });

  it('enumerates through one what the other registered', async () => {
    const namespace = uniqueNamespace('mongo-two-enum');
    for (let i = 0; i < 25; i++)
      await a.register(namespace, {
        identity: `dev-${String(i).padStart(2, '0')}`,
        metadata: { battery: i / 25, region: i % 2 === 0 ? 'eu' : 'us' },
      });
    const page = await b.enumerate(namespace, { filter: 'region == "eu" and battery < 0.5' });
    expect(page.identities.map((record) => record.identity)).toEqual(
      ['00', '02', '04', '06', '08', '10', '12'].map((n) => `dev-${n}`),
    );
    expect((await b.get(namespace, 'dev-03')).metadata).toEqual({ battery: 3 / 25, region: 'us' });
  });

  it('watches through one the writes of the other, and sweeps from both report each expiry once', async () => {
    const namespace = uniqueNamespace('mongo-two-watch');
    const watchB = await b.watch(namespace, {});
    const watchA = await a.watch(namespace, {});
    const readerB = new AsyncReader<WatchEvent>(watchB);
    const readerA = new AsyncReader<WatchEvent>(watchA);
    await a.register(namespace, { identity: 'x', metadata: { v: 1 } });
    await a.register(namespace, { identity: 'x', metadata: { v: 2 }, replace: true });
    await a.unregister(namespace, 'x');
    const ids = Array.from({ length: 10 }, (_, i) => `ttl-${i}`);
    for (const identity of ids) await a.register(namespace, { identity, ttlMs: 60_000 });
    clock.advance(60_001);
    // Expired identities are invisible to the other coordinator at once, before any sweep.
    expect((await b.enumerate(namespace, {})).identities).toEqual([]);
    const [byA, byB] = await Promise.all([a.sweep(), b.sweep()]);
    expect(byA + byB).toBe(ids.length);
    const described = (events: readonly WatchEvent[]) =>
      events.map((event) => `${event.type}:${event.reason}:${event.identity}`);
    const seenByB = described(await readerB.take(3 + 2 * ids.length, 'changes made through a'));
    expect(seenByB.slice(0, 3)).toEqual([
      'added:registered:x',
      'changed:updated:x',
      'removed:unregistered:x',
    ]);
    const expiredB = seenByB.filter((event) => event.startsWith('removed:expired:'));
    expect(expiredB.sort()).toEqual(ids.map((id) => `removed:expired:${id}`).sort());
    const seenByA = described(await readerA.take(3 + 2 * ids.length, 'the same changes on a'));
    expect(seenByA).toEqual(seenByB);
    await watchA.close();
    await watchB.close();
  });
});
