import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from '@connectrpc/connect';
import { createConnectTransport, createGrpcTransport } from '@connectrpc/connect-node';
import { RegistryService } from '@muster/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import {
  configFrom,
  connectClient,
  next,
  postJson,
  startTestServer,
} from './support/test-server.js';

const run = promisify(execFile);

describe('TLS from certificate and key files', () => {
  let dir: string;
  let server: RunningServer;
  let ca: Buffer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'muster-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ]);
    ca = await readFile(cert);
    server = await startTestServer({ tls: { cert, key } });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves https for Connect over HTTP/1.1 and gRPC over HTTP/2 (ALPN)', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const nodeOptions = { ca };
    const connect = createClient(
      RegistryService,
      createConnectTransport({ baseUrl: server.url, httpVersion: '1.1', nodeOptions }),
    );
    await connect.register({ namespace: 'tls', identity: 'secure-1' });
    const grpc = createClient(
      RegistryService,
      createGrpcTransport({ baseUrl: server.url, nodeOptions }),
    );
    expect((await grpc.get({ namespace: 'tls', identity: 'secure-1' })).record?.identity).toBe(
      'secure-1',
    );
    // An untrusting client refuses the self-signed certificate: the connection really is TLS.
    const untrusting = createClient(
      RegistryService,
      createConnectTransport({ baseUrl: server.url, httpVersion: '1.1' }),
    );
    await expect(untrusting.get({ namespace: 'tls', identity: 'secure-1' })).rejects.toThrow(
      /certificate/,
    );
  });
});

describe('limits', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({
      config: configFrom(`server:
  limits: { max_request_bytes: 20000, max_streams_per_key: 2 }
namespaces:
  - name: small
    limits:
      max_metadata_bytes: 200
      max_payload_bytes: 100
      max_multicast_targets: 2
      max_identities: 3
      filter: { max_comparisons: 2 }
`),
    });
    for (const identity of ['a', 'b', 'c'])
      await postJson(server, 'Register', { namespace: 'small', identity });
  });
  afterAll(async () => server.close());

  const codeOf = async (method: string, body: unknown) => {
    const response = await postJson(server, method, body);
    return [response.json.code, response.headers.get('muster-error-code')];
  };

  it('turns each breach into a clear error and keeps serving', async () => {
    expect(await codeOf('Register', { namespace: 'small', identity: 'd' })).toEqual([
      'resource_exhausted',
      'QUOTA_EXCEEDED',
    ]);
    expect(
      await codeOf('Register', {
        namespace: 'small',
        identity: 'a',
        replace: true,
        metadata: { blob: 'x'.repeat(300) },
      }),
    ).toEqual(['invalid_argument', 'INVALID_METADATA']);
    expect(
      await codeOf('Multicast', {
        namespace: 'small',
        filter: 'a == 1',
        payload: Buffer.alloc(200).toString('base64'),
      }),
    ).toEqual(['invalid_argument', 'INVALID_ARGUMENT']);
    const tooMany = await postJson(server, 'Multicast', { namespace: 'small', payload: '' });
    expect([tooMany.json.code, tooMany.json.message]).toEqual([
      'invalid_argument',
      'the filter matches more than 2 identities, the most one multicast may target',
    ]);
    expect(
      await codeOf('Enumerate', { namespace: 'small', filter: 'a == 1 and b == 2 and c == 3' }),
    ).toEqual(['invalid_argument', 'INVALID_FILTER']);
    const huge = await postJson(server, 'Enumerate', {
      namespace: 'small',
      cursor: 'x'.repeat(30_000),
    });
    expect(huge.json.code).toBe('resource_exhausted');
    expect(
      (await postJson(server, 'Multicast', { namespace: 'small', filter: 'a == 1', payload: '' }))
        .status,
    ).toBe(200);
  });

  it('limits the streams per key (anonymous on an open server)', async () => {
    const client = connectClient(server);
    const controller = new AbortController();
    for (let i = 0; i < 2; i++) {
      const watch = client
        .watch({ namespace: 'small' }, { signal: controller.signal })
        [Symbol.asyncIterator]();
      expect((await next(watch)).event.case).toBe('started');
    }
    const third = client
      .watch({ namespace: 'small' }, { signal: controller.signal })
      [Symbol.asyncIterator]();
    await expect(next(third)).rejects.toThrow(/too many open streams/);
    controller.abort();
  });
});
