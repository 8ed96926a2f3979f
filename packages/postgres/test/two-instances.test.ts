// Two adapter instances (two pools, two LISTEN connections) behind two coordinators: what one
// registers the other enumerates, expires (sweeps) and watches. State lives only in PostgreSQL.
import { AsyncReader, uniqueNamespace } from '@muster/conformance';
import {
  createMemoryDurability,
  createMemoryMessaging,
  createMuster,
  ManualClock,
  type WatchEvent,
} from '@muster/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresRegistry } from '../src/index.js';
import {
  DATABASE_URL,
  databaseReachable,
  dropSchema,
  uniqueSchema,
} from './support/test-database.js';

const reachable = await databaseReachable();
const schema = uniqueSchema('two');

describe.skipIf(!reachable)('postgres: two adapter instances behind two coordinators', () => {
  afterAll(() => dropSchema(schema));

  it('registers through one and enumerates, expires and watches through the other', async () => {
    const clock = new ManualClock(Date.now());
    const open = () =>
      createMuster({
        registry: createPostgresRegistry({ url: DATABASE_URL, schema, poolSize: 2 }),
        messaging: createMemoryMessaging(),
        durability: createMemoryDurability(),
        clock,
        sweepIntervalMs: 0,
      });
    const writer = open();
    const reader = open();
    const namespace = uniqueNamespace('two-instances');
    try {
      const watch = await reader.watch(namespace, { filter: 'kind == "sensor"' });
      const events = new AsyncReader<WatchEvent>(watch);
      await writer.register(namespace, {
        identity: 'short',
        metadata: { kind: 'sensor' },
        ttlMs: 1_000,
      });
      await writer.register(namespace, { identity: 'long', metadata: { kind: 'sensor' } });
      await writer.register(namespace, { identity: 'other', metadata: { kind: 'gateway' } });
      const listed = await reader.enumerate(namespace, { filter: 'kind == "sensor"' });
      expect(listed.identities.map((record) => record.identity)).toEqual(['long', 'short']);
      clock.advance(1_001);
      expect(await reader.sweep()).toBe(1);
      expect(await writer.sweep()).toBe(0);
      expect(
        (await events.take(3, 'two registrations and one expiry')).map(
          (event) => `${event.type}:${event.reason}:${event.identity}`,
        ),
      ).toEqual(['added:registered:short', 'added:registered:long', 'removed:expired:short']);
      expect((await writer.enumerate(namespace)).identities.map((r) => r.identity)).toEqual([
        'long',
        'other',
      ]);
      await watch.close();
    } finally {
      await writer.close();
      await reader.close();
    }
  });
});
