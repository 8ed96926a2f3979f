import { createGrpcTransport } from '@connectrpc/connect-node';
import { parseConfig, type RunningServer } from '@muster/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/index.js';
import { startTestServer, uniqueNamespace } from './support/test-server.js';

describe('over gRPC (connect-node transport)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('registers, enumerates, subscribes and multicasts', async () => {
    const transport = createGrpcTransport({ baseUrl: server.url });
    const ns = createClient({ transport }).namespace(uniqueNamespace('grpc'));
    await ns.register({ identity: 'svc-1', metadata: { health_status: 'healthy' } });
    const page = await ns.enumerate({ filter: 'health_status == "healthy"' });
    expect(page.identities.map((record) => record.identity)).toEqual(['svc-1']);
    const inbox = await ns.subscribe('svc-1');
    const report = await ns.multicast({ payload: 'flags', filter: { health_status: 'healthy' } });
    expect(report.deliveries).toEqual([{ identity: 'svc-1', status: 'SENT' }]);
    expect((await inbox[Symbol.asyncIterator]().next()).value!.text()).toBe('flags');
    await inbox.close();
    await expect(ns.get('nobody')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('with API keys', () => {
  const env = { DEVICE_TOKEN: 'device-secret', READER_TOKEN: 'reader-secret' };
  let server: RunningServer;
  beforeAll(async () => {
    const config = parseConfig(
      `
auth:
  keys:
    - name: device
      token_env: DEVICE_TOKEN
      scopes: [register, heartbeat, subscribe]
      identity_pattern: "device-*"
    - name: reader
      token_env: READER_TOKEN
      scopes: [enumerate]
namespaces:
  - name: fleet
    backend_slots: { registry: { type: memory }, messaging: { type: memory } }
`,
      'auth-test.yaml',
      env,
    );
    server = await startTestServer({ config, env });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('sends the token as a bearer token; the server enforces scopes and identity patterns', async () => {
    const device = createClient({ baseUrl: server.url, token: env.DEVICE_TOKEN }).namespace(
      'fleet',
    );
    const reader = createClient({
      baseUrl: server.url,
      token: async () => env.READER_TOKEN,
    }).namespace('fleet');
    const anonymous = createClient({ baseUrl: server.url }).namespace('fleet');
    const forger = createClient({ baseUrl: server.url, token: 'wrong' }).namespace('fleet');

    await device.register({ identity: 'device-1', metadata: { battery_level: 0.5 } });
    await expect(device.register({ identity: 'other-1', metadata: {} })).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    });
    await expect(device.enumerate()).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    const page = await reader.enumerate();
    expect(page.identities.map((record) => record.identity)).toEqual(['device-1']);
    await expect(anonymous.enumerate()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(forger.enumerate()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(anonymous.subscribe('device-1')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });
});
