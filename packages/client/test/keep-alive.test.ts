import type { RunningServer } from '@muster/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient, MusterError } from '../src/index.js';
import { startTestServer, uniqueNamespace } from './support/test-server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('heartbeats until closed, then unregisters', async () => {
  const ns = createClient({ baseUrl: server.url }).namespace(uniqueNamespace('keepalive'));
  const kept = await ns.register({ identity: 'kept', metadata: {}, ttlMs: 400, keepAlive: true });
  const lapsed = await ns.register({ identity: 'lapsed', metadata: {}, ttlMs: 400 });
  await sleep(1200);
  // Three TTLs later, only the kept-alive identity is still there.
  expect(kept.heartbeats).toBeGreaterThanOrEqual(3);
  expect(kept.expiresAt!).toBeGreaterThan(Date.now());
  await expect(ns.get('kept')).resolves.toMatchObject({ identity: 'kept' });
  await expect(ns.get('lapsed')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  expect(lapsed.heartbeats).toBe(0);

  await kept.close();
  const heartbeats = kept.heartbeats;
  await expect(ns.get('kept')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await sleep(300);
  expect(kept.heartbeats).toBe(heartbeats);
});

it('registers again when a heartbeat finds the identity gone', async () => {
  const ns = createClient({ baseUrl: server.url }).namespace(uniqueNamespace('keepalive'));
  const errors: unknown[] = [];
  const registration = await ns.register({
    identity: 'device',
    metadata: { battery_level: 0.5 },
    ttlMs: 5_000,
    keepAlive: { intervalMs: 100, onError: (error) => errors.push(error) },
  });
  // Someone (or an expiry during an outage) removes it behind the keep-alive's back.
  await ns.unregister('device');
  await sleep(400);
  await expect(ns.get('device')).resolves.toMatchObject({ metadata: { battery_level: 0.5 } });
  expect(errors).toEqual([]);
  await registration.close({ unregister: false });
  await expect(ns.get('device')).resolves.toMatchObject({ identity: 'device' });
});

it('refuses keep-alive without a TTL', async () => {
  const ns = createClient({ baseUrl: server.url }).namespace(uniqueNamespace('keepalive'));
  const error = await ns.register({ identity: 'x', keepAlive: true }).catch((e: unknown) => e);
  expect(MusterError.is(error, 'INVALID_ARGUMENT')).toBe(true);
});
