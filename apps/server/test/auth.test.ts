import { MusterError } from '@muster/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, sha256Hex } from '../src/index.js';
import {
  configFrom,
  connectClient,
  next,
  postJson,
  startTestServer,
} from './support/test-server.js';

const TOKENS = {
  operator: 'op-secret',
  sensor: 'sensor-secret',
  blue: 'blue-secret',
  slow: 'slow-secret',
};
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const CONFIG = `
auth:
  keys:
    - name: operator
      token_env: OPERATOR_TOKEN
      scopes: [admin]
    - name: sensors
      token_sha256: ${sha256Hex(TOKENS.sensor)}
      namespaces: [fleet]
      scopes: [register, heartbeat, subscribe]
      identity_pattern: "sensor-*"
    - name: blue-team
      token_env: BLUE_TOKEN
      namespaces: [fleet]
      scopes: [enumerate, multicast, watch]
      publisher_filter: 'fleet == "blue"'
      visible_fields: [fleet, battery_level]
      max_streams: 1
    - name: slow
      token_sha256: ${sha256Hex(TOKENS.slow)}
      namespaces: [fleet]
      scopes: [enumerate]
      rate_limit: { per_second: 0.5, burst: 2 }
namespaces:
  - name: fleet
  - name: secret-ops
`;

describe('API keys', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({
      config: configFrom(CONFIG),
      env: { OPERATOR_TOKEN: TOKENS.operator, BLUE_TOKEN: TOKENS.blue },
    });
    for (const [identity, fleet] of [
      ['sensor-b1', 'blue'],
      ['sensor-b2', 'blue'],
      ['sensor-r1', 'red'],
    ] as const)
      await postJson(
        server,
        'Register',
        { namespace: 'fleet', identity, metadata: { fleet, battery_level: 0.5, owner: 'secret' } },
        bearer(TOKENS.operator),
      );
  });
  afterAll(async () => server.close());

  it('refuses calls without a token or with an unknown one: UNAUTHENTICATED', async () => {
    const none = await postJson(server, 'Enumerate', { namespace: 'fleet' });
    expect([none.status, none.json.code, none.headers.get('muster-error-code')]).toEqual([
      401,
      'unauthenticated',
      'UNAUTHENTICATED',
    ]);
    const wrong = await postJson(server, 'Enumerate', { namespace: 'fleet' }, bearer('guess'));
    expect(wrong.json.code).toBe('unauthenticated');
  });

  it('enforces namespaces and scopes (PERMISSION_DENIED) without saying which namespaces exist', async () => {
    const scope = await postJson(
      server,
      'Enumerate',
      { namespace: 'fleet' },
      bearer(TOKENS.sensor),
    );
    expect([scope.status, scope.json.code]).toEqual([403, 'permission_denied']);
    expect(scope.json.message).toContain('"enumerate" scope');
    const existing = await postJson(
      server,
      'Register',
      { namespace: 'secret-ops', identity: 'sensor-1' },
      bearer(TOKENS.sensor),
    );
    const missing = await postJson(
      server,
      'Register',
      { namespace: 'no-such-ns', identity: 'sensor-1' },
      bearer(TOKENS.sensor),
    );
    expect(existing.json.code).toBe('permission_denied');
    expect(missing.json.code).toBe('permission_denied');
    expect(String(existing.json.message).replace('secret-ops', 'X')).toBe(
      String(missing.json.message).replace('no-such-ns', 'X'),
    );
  });

  it('lets a key act only as identities matching its pattern', async () => {
    const own = await postJson(
      server,
      'Register',
      { namespace: 'fleet', identity: 'sensor-9', metadata: { fleet: 'blue' } },
      bearer(TOKENS.sensor),
    );
    expect(own.status).toBe(200);
    const other = await postJson(
      server,
      'Register',
      { namespace: 'fleet', identity: 'gateway-1' },
      bearer(TOKENS.sensor),
    );
    expect([other.json.code, other.json.message]).toEqual([
      'permission_denied',
      'API key "sensors" may not act as identity "gateway-1"',
    ]);
    const subscribeAsOther = connectClient(server, bearer(TOKENS.sensor)).subscribe({
      namespace: 'fleet',
      identity: 'gateway-1',
    });
    await expect(next(subscribeAsOther[Symbol.asyncIterator]())).rejects.toThrow(
      /may not act as identity/,
    );
    const heartbeatOther = await postJson(
      server,
      'Heartbeat',
      { namespace: 'fleet', identity: 'gateway-1' },
      bearer(TOKENS.sensor),
    );
    expect(heartbeatOther.json.code).toBe('permission_denied');
  });

  it('ANDs the publisher filter into enumerate, multicast and watch, and hides invisible fields', async () => {
    const page = await postJson(server, 'Enumerate', { namespace: 'fleet' }, bearer(TOKENS.blue));
    const records = page.json.identities as {
      identity: string;
      metadata: Record<string, unknown>;
    }[];
    expect(records.map((r) => r.identity)).toEqual(['sensor-9', 'sensor-b1', 'sensor-b2']);
    expect(records[1]!.metadata).toEqual({ fleet: 'blue', battery_level: 0.5 });
    const narrowed = await postJson(
      server,
      'Enumerate',
      { namespace: 'fleet', filter: { 'battery_level.gte': 0.5 } },
      bearer(TOKENS.blue),
    );
    expect((narrowed.json.identities as unknown[]).length).toBe(2);
    const hidden = await postJson(
      server,
      'Enumerate',
      { namespace: 'fleet', filter: 'owner == "secret"' },
      bearer(TOKENS.blue),
    );
    expect([hidden.json.code, hidden.headers.get('muster-error-code')]).toEqual([
      'permission_denied',
      'PERMISSION_DENIED',
    ]);
    const multicast = await postJson(
      server,
      'Multicast',
      { namespace: 'fleet', payload: '' },
      bearer(TOKENS.blue),
    );
    const report = multicast.json.report as {
      targetCount: number;
      deliveries: { identity: string }[];
    };
    expect(report.deliveries.map((d) => d.identity)).toEqual([
      'sensor-9',
      'sensor-b1',
      'sensor-b2',
    ]);
    const outsideFleet = await postJson(
      server,
      'Enumerate',
      { namespace: 'fleet', filter: 'fleet == "red"' },
      bearer(TOKENS.blue),
    );
    expect(outsideFleet.json.identities).toBeUndefined();
  });

  it('limits the streams of a key (RESOURCE_EXHAUSTED)', async () => {
    const client = connectClient(server, bearer(TOKENS.blue));
    const controller = new AbortController();
    const first = client
      .watch({ namespace: 'fleet' }, { signal: controller.signal })
      [Symbol.asyncIterator]();
    expect((await next(first)).event.case).toBe('started');
    const second = client
      .watch({ namespace: 'fleet' }, { signal: controller.signal })
      [Symbol.asyncIterator]();
    await expect(next(second)).rejects.toThrow(/resource_exhausted|too many open streams/);
    controller.abort();
  });

  it('rate-limits a key (RESOURCE_EXHAUSTED, RATE_LIMITED) and keeps serving the others', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await postJson(
        server,
        'Enumerate',
        { namespace: 'fleet' },
        bearer(TOKENS.slow),
      );
      codes.push(response.headers.get('muster-error-code') ?? String(response.status));
    }
    expect(codes).toEqual(['200', '200', 'RATE_LIMITED']);
    expect(
      (await postJson(server, 'Enumerate', { namespace: 'fleet' }, bearer(TOKENS.operator))).status,
    ).toBe(200);
  });
});

describe('an open server (no auth section)', () => {
  it('refuses a non-loopback address unless --insecure-allow-open', async () => {
    await expect(startTestServer({ host: '0.0.0.0' })).rejects.toSatisfy(
      (error: unknown) =>
        MusterError.is(error, 'PERMISSION_DENIED') && /without authentication/.test(error.message),
    );
    const server = await startTestServer({ host: '0.0.0.0', insecureAllowOpen: true });
    await server.close();
  });
});
