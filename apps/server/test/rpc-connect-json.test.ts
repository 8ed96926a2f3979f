import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { connectClient, next, postJson, startTestServer } from './support/test-server.js';

// Every RPC in Connect's JSON protocol over HTTP/1.1: unary calls with fetch (the curl form),
// streams with the Connect transport in JSON mode.
describe('RegistryService over Connect JSON (curl form)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  const ns = 'json-rpc';
  const base64 = (text: string) => Buffer.from(text).toString('base64');

  it('Register, Get, Heartbeat and Unregister an identity', async () => {
    const registered = await postJson(server, 'Register', {
      namespace: ns,
      identity: 'sensor-1',
      metadata: { battery_level: 0.1, firmware_version: '1.0.3', capabilities: ['gps'] },
      ttl: '60s',
    });
    expect(registered.status).toBe(200);
    expect(registered.json.identity).toBe('sensor-1');
    expect(Date.parse(registered.json.expiresAt as string)).toBeGreaterThan(Date.now() + 50_000);

    const got = await postJson(server, 'Get', { namespace: ns, identity: 'sensor-1' });
    expect(got.json.record).toMatchObject({
      identity: 'sensor-1',
      metadata: { battery_level: 0.1, firmware_version: '1.0.3', capabilities: ['gps'] },
    });

    const beat = await postJson(server, 'Heartbeat', {
      namespace: ns,
      identity: 'sensor-1',
      ttl: '120s',
    });
    expect(Date.parse(beat.json.expiresAt as string)).toBeGreaterThan(Date.now() + 110_000);

    expect(
      (await postJson(server, 'Unregister', { namespace: ns, identity: 'sensor-1' })).json,
    ).toEqual({ removed: true });
    expect(
      (await postJson(server, 'Unregister', { namespace: ns, identity: 'sensor-1' })).json,
    ).toEqual({});
    const gone = await postJson(server, 'Get', { namespace: ns, identity: 'sensor-1' });
    expect(gone.status).toBe(404);
    expect(gone.json.code).toBe('not_found');
    expect(gone.headers.get('muster-error-code')).toBe('NOT_FOUND');
  });

  it('Enumerate with the string syntax, the JSON form, sort, pages and a total count', async () => {
    for (let i = 0; i < 5; i++)
      await postJson(server, 'Register', {
        namespace: `${ns}-enum`,
        identity: `d${i}`,
        metadata: { battery_level: i / 10, fleet: i % 2 === 0 ? 'blue' : 'red' },
      });
    const byString = await postJson(server, 'Enumerate', {
      namespace: `${ns}-enum`,
      filter: 'battery_level < 0.25',
      sort: [{ by: 'battery_level', direction: 'SORT_DIRECTION_DESC' }],
      totalCount: true,
    });
    expect((byString.json.identities as { identity: string }[]).map((r) => r.identity)).toEqual([
      'd2',
      'd1',
      'd0',
    ]);
    expect(byString.json.totalCount).toBe(3);
    const byJson = await postJson(server, 'Enumerate', {
      namespace: `${ns}-enum`,
      filter: { fleet: 'blue', 'battery_level.gte': 0.2 },
      includeMetadata: false,
    });
    expect(byJson.json.identities).toEqual([
      expect.objectContaining({ identity: 'd2' }),
      expect.objectContaining({ identity: 'd4' }),
    ]);
    expect((byJson.json.identities as { metadata?: unknown }[])[0]!.metadata).toEqual({});
    const first = await postJson(server, 'Enumerate', { namespace: `${ns}-enum`, limit: 2 });
    expect(first.json.identities).toHaveLength(2);
    const second = await postJson(server, 'Enumerate', {
      namespace: `${ns}-enum`,
      limit: 2,
      cursor: first.json.nextCursor,
    });
    expect((second.json.identities as { identity: string }[]).map((r) => r.identity)).toEqual([
      'd2',
      'd3',
    ]);
  });

  it('maps errors to Connect codes with the Muster code and details', async () => {
    const badFilter = await postJson(server, 'Enumerate', {
      namespace: ns,
      filter: 'battery_level < ',
    });
    expect(badFilter.status).toBe(400);
    expect(badFilter.json.code).toBe('invalid_argument');
    expect(badFilter.headers.get('muster-error-code')).toBe('INVALID_FILTER');
    const detail = (
      badFilter.json.details as {
        type: string;
        debug: { code: string; details: { location: unknown } };
      }[]
    )[0]!;
    expect(detail.type).toBe('muster.v1.ErrorDetail');
    expect(detail.debug.code).toBe('INVALID_FILTER');
    expect(detail.debug.details.location).toEqual({ offset: 16, line: 1, column: 17 });

    await postJson(server, 'Register', { namespace: ns, identity: 'twice' });
    const again = await postJson(server, 'Register', { namespace: ns, identity: 'twice' });
    expect([again.status, again.json.code, again.headers.get('muster-error-code')]).toEqual([
      409,
      'already_exists',
      'ALREADY_EXISTS',
    ]);
    const badIdentity = await postJson(server, 'Register', {
      namespace: ns,
      identity: 'no spaces allowed',
    });
    expect([badIdentity.json.code, badIdentity.headers.get('muster-error-code')]).toEqual([
      'invalid_argument',
      'INVALID_ARGUMENT',
    ]);
    const notAFilter = await postJson(server, 'Enumerate', { namespace: ns, filter: 42 });
    expect(notAFilter.headers.get('muster-error-code')).toBe('INVALID_FILTER');
    const atLeastOnceWithoutDurability = await postJson(server, 'GetMulticast', {
      namespace: ns,
      multicastId: 'nope',
    });
    expect(atLeastOnceWithoutDurability.json.code).toBe('not_found');
  });

  it('Multicast, GetMulticast, Subscribe and Ack (acked delivery)', async () => {
    const client = connectClient(server);
    await postJson(server, 'Register', {
      namespace: ns,
      identity: 'inbox-1',
      metadata: { room: 'eng' },
    });
    const controller = new AbortController();
    const stream = client
      .subscribe({ namespace: ns, identity: 'inbox-1' }, { signal: controller.signal })
      [Symbol.asyncIterator]();
    expect((await next(stream)).event.case).toBe('started');
    const multicast = postJson(server, 'Multicast', {
      namespace: ns,
      filter: 'room == "eng"',
      payload: base64('hello'),
      contentType: 'text/plain',
      delivery: 'DELIVERY_MODE_ACKED',
      timeout: '5s',
    });
    const received = await next(stream);
    if (received.event.case !== 'message') throw new Error('expected a message');
    expect(new TextDecoder().decode(received.event.value.payload)).toBe('hello');
    expect(received.event.value.contentType).toBe('text/plain');
    const ack = await postJson(server, 'Ack', {
      namespace: ns,
      identity: 'inbox-1',
      messageIds: [received.event.value.messageId, 'unknown-id'],
    });
    expect(ack.json).toEqual({ acked: 1, unknownMessageIds: ['unknown-id'] });
    const report = (await multicast).json.report as { multicastId: string; deliveries: unknown[] };
    expect(report).toMatchObject({ targetCount: 1, deliveredCount: 1 });
    expect(report.deliveries).toEqual([
      { identity: 'inbox-1', status: 'DELIVERY_STATUS_DELIVERED' },
    ]);
    const again = await postJson(server, 'GetMulticast', {
      namespace: ns,
      multicastId: report.multicastId,
    });
    expect(again.json.report).toEqual(report);
    controller.abort();
  });

  it('Watch streams added, changed and removed events for a filter', async () => {
    const client = connectClient(server);
    const controller = new AbortController();
    const watch = client
      .watch(
        { namespace: `${ns}-watch`, filter: { kind: { case: 'stringValue', value: 'level > 1' } } },
        { signal: controller.signal },
      )
      [Symbol.asyncIterator]();
    expect((await next(watch)).event.case).toBe('started');
    await postJson(server, 'Register', {
      namespace: `${ns}-watch`,
      identity: 'w1',
      metadata: { level: 2 },
    });
    await postJson(server, 'Register', {
      namespace: `${ns}-watch`,
      identity: 'w1',
      metadata: { level: 3 },
      replace: true,
    });
    await postJson(server, 'Unregister', { namespace: `${ns}-watch`, identity: 'w1' });
    const events = [await next(watch), await next(watch), await next(watch)].map((response) =>
      response.event.case === 'change'
        ? [response.event.value.type, response.event.value.reason, response.event.value.identity]
        : [],
    );
    expect(events).toEqual([
      [1, 2, 'w1'],
      [2, 3, 'w1'],
      [3, 4, 'w1'],
    ]);
    controller.abort();
  });
});
