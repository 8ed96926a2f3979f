// State lives only in Redis: two registry instances (two connections) behind two coordinators
// see one registry. Registered through one, enumerated, expired (swept) and watched through
// the other.
import { uniqueNamespace, waitFor } from '@muster/conformance';
import { createMuster, ManualClock, type WatchEvent } from '@muster/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisRegistry } from '../src/index.js';
import {
  dropPrefix,
  REDIS_URL,
  redisAvailable,
  uniquePrefix,
} from './support/redis-test-server.js';

const keyPrefix = uniquePrefix('two');

if (await redisAvailable()) {
  afterAll(() => dropPrefix(keyPrefix));

  describe('two registry instances on one Redis', () => {
    it('register through one; enumerate, watch and sweep through the other', async () => {
      const clock = new ManualClock(Date.now());
      const registries = [
        createRedisRegistry({ url: REDIS_URL, keyPrefix }),
        createRedisRegistry({ url: REDIS_URL, keyPrefix }),
      ] as const;
      const first = createMuster({
        registry: registries[0],
        clock,
        sweepIntervalMs: 0,
      });
      const second = createMuster({
        registry: registries[1],
        clock,
        sweepIntervalMs: 0,
      });
      try {
        const namespace = uniqueNamespace('two-instances');
        const watch = await second.watch(namespace, { filter: 'kind == "sensor"' });
        const events: WatchEvent[] = [];
        const reading = (async () => {
          for await (const event of watch) events.push(event);
        })();
        await first.register(namespace, {
          identity: 'sensor-1',
          metadata: { kind: 'sensor' },
          ttlMs: 1_000,
        });
        await first.register(namespace, { identity: 'sensor-2', metadata: { kind: 'sensor' } });
        await first.register(namespace, { identity: 'gateway-1', metadata: { kind: 'gateway' } });

        const page = await second.enumerate(namespace, { filter: 'kind == "sensor"' });
        expect(page.identities.map((record) => record.identity)).toEqual(['sensor-1', 'sensor-2']);

        clock.advance(1_001);
        expect(await second.sweep()).toBe(1);
        expect(await first.sweep()).toBe(0);
        const after = await first.enumerate(namespace, {});
        expect(after.identities.map((record) => record.identity)).toEqual([
          'gateway-1',
          'sensor-2',
        ]);

        await waitFor(() => events.length >= 3, 'the watcher on the second sees three changes');
        await watch.close();
        await reading;
        expect(events.map((event) => `${event.type}:${event.reason}:${event.identity}`)).toEqual([
          'added:registered:sensor-1',
          'added:registered:sensor-2',
          'removed:expired:sensor-1',
        ]);
      } finally {
        await Promise.all([first.close(), second.close()]);
        // The coordinators leave their slots open.
        await Promise.all(registries.map((registry) => registry.close()));
      }
    });
  });
} else {
  describe.skip('redis two instances (no Redis reachable)', () => {
    it('needs a Redis server', () => undefined);
  });
}
