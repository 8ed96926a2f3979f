import type { RunningServer } from '@muster/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, MusterError, type NamespaceClient } from '../src/index.js';
import { startTestServer, uniqueNamespace } from './support/test-server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

function namespace(): NamespaceClient {
  return createClient({ baseUrl: server.url }).namespace(uniqueNamespace());
}

describe('unary calls against a real server', () => {
  it('registers, gets, heartbeats and unregisters an identity', async () => {
    const ns = namespace();
    const before = Date.now();
    const registration = await ns.register({
      identity: 'sensor-1',
      metadata: { battery_level: 0.1, location: { building: 'HQ' }, tags: ['gps'] },
      ttlMs: 60_000,
    });
    expect(registration.identity).toBe('sensor-1');
    expect(registration.registeredAt).toBeGreaterThanOrEqual(before - 1000);
    expect(registration.expiresAt! - registration.registeredAt).toBe(60_000);

    const record = await ns.get('sensor-1');
    expect(record.metadata).toEqual({
      battery_level: 0.1,
      location: { building: 'HQ' },
      tags: ['gps'],
    });
    expect(record.updatedAt).toBe(record.registeredAt);

    const heartbeat = await ns.heartbeat('sensor-1', { ttlMs: 120_000 });
    expect(heartbeat.expiresAt! - Date.now()).toBeGreaterThan(100_000);

    expect(await ns.unregister('sensor-1')).toEqual({ removed: true });
    expect(await ns.unregister('sensor-1')).toEqual({ removed: false });
  });

  it('reports errors as MusterError with the stable code and details', async () => {
    const ns = namespace();
    await ns.register({ identity: 'a', metadata: {} });
    const exists = await ns.register({ identity: 'a', metadata: {} }).catch((error) => error);
    expect(MusterError.is(exists, 'ALREADY_EXISTS')).toBe(true);
    await expect(
      ns.register({ identity: 'a', metadata: { v: 2 }, replace: true }),
    ).resolves.toMatchObject({
      identity: 'a',
    });

    const missing = await ns.get('nobody').catch((error) => error);
    expect(missing).toBeInstanceOf(MusterError);
    expect(missing.code).toBe('NOT_FOUND');
    await expect(ns.heartbeat('nobody')).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const badFilter = await ns.enumerate({ filter: 'battery_level <' }).catch((error) => error);
    expect(badFilter.code).toBe('INVALID_FILTER');
    expect(badFilter.details.location).toMatchObject({ line: 1, column: 16 });

    const badIdentity = await ns.register({ identity: 'spaces are not allowed' }).catch((e) => e);
    expect(badIdentity.code).toBe('INVALID_ARGUMENT');
  });

  it('says UNAVAILABLE when no server answers', async () => {
    const ns = createClient({ baseUrl: 'http://127.0.0.1:9' }).namespace('default');
    await expect(ns.get('x')).rejects.toMatchObject({ name: 'MusterError', code: 'UNAVAILABLE' });
  });

  it('enumerates a page at a time and walks every page with enumerateAll', async () => {
    const ns = namespace();
    await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        ns.register({
          identity: `device-${String(i).padStart(3, '0')}`,
          metadata: { battery_level: (i % 10) / 10, even: i % 2 === 0 },
        }),
      ),
    );
    const first = await ns.enumerate({ limit: 100, totalCount: true });
    expect(first.identities).toHaveLength(100);
    expect(first.totalCount).toBe(120);
    expect(first.nextCursor).toBeDefined();

    const walked: string[] = [];
    for await (const record of ns.enumerateAll({ limit: 40 })) walked.push(record.identity);
    expect(walked).toHaveLength(120);
    expect(new Set(walked).size).toBe(120);
    expect(walked).toEqual([...walked].sort());

    const low: number[] = [];
    for await (const record of ns.enumerateAll({
      filter: { 'battery_level.lt': 0.2, even: true },
      sort: [{ by: 'battery_level', direction: 'desc' }],
      limit: 7,
    }))
      low.push(record.metadata.battery_level as number);
    expect(low).toHaveLength(12);
    expect(low).toEqual([...low].sort((a, b) => b - a));

    const bare = await ns.enumerate({ filter: 'even == true', limit: 1, includeMetadata: false });
    expect(bare.identities[0]!.metadata).toEqual({});
  });

  it('multicasts text, JSON and bytes and reads the report back by id', async () => {
    const ns = namespace();
    await ns.register({ identity: 'u-1', metadata: { room: 'eng' } });
    await ns.register({ identity: 'u-2', metadata: { room: 'eng' } });
    await ns.register({ identity: 'u-3', metadata: { room: 'ops' } });
    const inbox = await ns.subscribe('u-1');

    const report = await ns.multicast({ filter: 'room == "eng"', json: { text: 'hello' } });
    expect(report.targetCount).toBe(2);
    expect(report.deliveries).toEqual([
      { identity: 'u-1', status: 'SENT' },
      { identity: 'u-2', status: 'NO_SUBSCRIBER' },
    ]);
    const iterator = inbox[Symbol.asyncIterator]();
    const message = (await iterator.next()).value!;
    expect(message.contentType).toBe('application/json');
    expect(message.json()).toEqual({ text: 'hello' });
    expect(message.multicastId).toBe(report.multicastId);

    expect(await ns.getMulticast(report.multicastId)).toEqual(report);
    await expect(ns.getMulticast('no-such-multicast')).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const bytes = new Uint8Array([0, 1, 2, 255]);
    await ns.multicast({ filter: { room: 'eng' }, payload: bytes });
    const binary = (await iterator.next()).value!;
    expect(binary.payload).toEqual(bytes);
    expect(binary.contentType).toBe('application/octet-stream');

    await ns.multicast({ filter: { room: 'eng' }, payload: 'plain' });
    const text = (await iterator.next()).value!;
    expect(text.text()).toBe('plain');
    expect(text.contentType).toBe('text/plain; charset=utf-8');
    await inbox.close();
  });

  it('waits for acknowledgements with acked delivery', async () => {
    const ns = namespace();
    await ns.register({ identity: 'd-1', metadata: { fw: '1.0.3' } });
    await ns.register({ identity: 'd-2', metadata: { fw: '1.0.4' } });
    const inbox = await ns.subscribe('d-1');
    const consumer = (async () => {
      for await (const message of inbox) {
        await message.ack();
        return message.text();
      }
    })();
    const report = await ns.multicast({
      filter: 'fw startswith "1.0"',
      payload: 'update',
      delivery: 'acked',
      timeoutMs: 1000,
    });
    expect(await consumer).toBe('update');
    expect(report.deliveredCount).toBe(1);
    expect(report.deliveries).toEqual([
      { identity: 'd-1', status: 'DELIVERED' },
      { identity: 'd-2', status: 'NO_SUBSCRIBER' },
    ]);
  });

  it('watches a filter: added, changed and removed with reasons', async () => {
    const ns = namespace();
    await ns.register({ identity: 'early', metadata: { battery_level: 0.1 } });
    const watch = await ns.watch({ filter: 'battery_level < 0.2', initial: true });
    const events = watch[Symbol.asyncIterator]();
    await ns.register({ identity: 'late', metadata: { battery_level: 0.15 } });
    await ns.register({ identity: 'late', metadata: { battery_level: 0.05 }, replace: true });
    await ns.register({ identity: 'full', metadata: { battery_level: 0.9 } });
    await ns.unregister('late');
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const event = (await events.next()).value!;
      seen.push(`${event.type} ${event.reason} ${event.identity}`);
    }
    expect(seen).toEqual([
      'added initial early',
      'added registered late',
      'changed updated late',
      'removed unregistered late',
    ]);
    await watch.close();
    expect((await events.next()).done).toBe(true);
  });

  it('ends a watch with UNAVAILABLE when the server goes away', async () => {
    const own = await startTestServer();
    const ns = createClient({ baseUrl: own.url }).namespace(uniqueNamespace());
    const watch = await ns.watch();
    const ended = (async () => {
      for await (const _ of watch) {
      }
    })().then(
      () => 'ended without an error',
      (error: unknown) => error,
    );
    await own.close();
    expect(await ended).toMatchObject({ code: 'UNAVAILABLE' });
  });
});
