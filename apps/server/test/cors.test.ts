import { MusterError } from '@muster/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { configFrom, startTestServer } from './support/test-server.js';

const ALLOWED = 'http://app.example.test:5173';
const OTHER = 'http://evil.example.test';
const REGISTER = '/muster.v1.RegistryService/Register';

/** A browser's preflight before a Connect JSON call with a bearer token. */
function preflight(server: RunningServer, origin: string): Promise<Response> {
  return fetch(`${server.url}${REGISTER}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,connect-protocol-version,content-type',
    },
  });
}

function register(server: RunningServer, origin: string, identity: string): Promise<Response> {
  return fetch(`${server.url}${REGISTER}`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', 'connect-protocol-version': '1' },
    body: JSON.stringify({ namespace: 'default', identity, metadata: {} }),
  });
}

function listOf(header: string | null): string[] {
  return (header ?? '').split(',').map((name) => name.trim().toLowerCase());
}

describe('CORS', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ cors: { allowed_origins: [ALLOWED] } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("answers an allowed origin's preflight with Connect's and gRPC-Web's headers", async () => {
    const response = await preflight(server, ALLOWED);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(listOf(response.headers.get('access-control-allow-methods'))).toEqual(
      expect.arrayContaining(['post', 'get']),
    );
    expect(listOf(response.headers.get('access-control-allow-headers'))).toEqual(
      expect.arrayContaining([
        'authorization',
        'content-type',
        'connect-protocol-version',
        'connect-timeout-ms',
        'x-grpc-web',
        'x-user-agent',
        'grpc-timeout',
      ]),
    );
    expect(Number(response.headers.get('access-control-max-age'))).toBe(7200);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(listOf(response.headers.get('vary'))).toContain('origin');
  });

  it('exposes the status headers and the Muster error code on the call itself', async () => {
    const ok = await register(server, ALLOWED, 'cors-1');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    const exposed = listOf(ok.headers.get('access-control-expose-headers'));
    expect(exposed).toEqual(
      expect.arrayContaining([
        'grpc-status',
        'grpc-message',
        'grpc-status-details-bin',
        'muster-error-code',
        'trailer-muster-error-code',
      ]),
    );
    const again = await register(server, ALLOWED, 'cors-1');
    expect(again.status).toBe(409);
    expect(again.headers.get('muster-error-code')).toBe('ALREADY_EXISTS');
    expect(again.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });

  it('grants nothing to another origin', async () => {
    const response = await preflight(server, OTHER);
    // Answered as with CORS off: Connect's route does not serve OPTIONS.
    expect(response.status).toBe(405);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-headers')).toBeNull();
    // The server still serves it (CORS binds browsers, not servers) but grants no reading.
    const call = await register(server, OTHER, 'cors-2');
    expect(call.headers.get('access-control-allow-origin')).toBeNull();
    expect(call.headers.get('access-control-expose-headers')).toBeNull();
  });
});

describe('CORS settings', () => {
  it('is off by default: a preflight gets no grant', async () => {
    const server = await startTestServer();
    try {
      const response = await preflight(server, ALLOWED);
      // No CORS plugin: the Connect routes answer OPTIONS as a method they do not serve.
      expect(response.status).toBe(405);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('reads server.cors from the config, max_age as a duration', async () => {
    const config = configFrom(`
server:
  cors: { allowed_origins: ["${ALLOWED}"], max_age: 10m }
namespaces: [{ name: default }]
`);
    const server = await startTestServer({ config });
    try {
      const response = await preflight(server, ALLOWED);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(response.headers.get('access-control-max-age')).toBe('600');
    } finally {
      await server.close();
    }
  });

  it('allows "*" with API keys, without credentials', async () => {
    const config = configFrom(`
server:
  cors: { allowed_origins: ["*"] }
auth:
  keys: [{ name: k, token_env: TOKEN, scopes: [admin] }]
namespaces: [{ name: default }]
`);
    const server = await startTestServer({ config, env: { TOKEN: 'secret' } });
    try {
      const response = await preflight(server, OTHER);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('refuses "*" on an open server, and origins that are not origins, at their config path', async () => {
    const problems = (yaml: string) => {
      try {
        configFrom(yaml);
      } catch (error) {
        if (MusterError.is(error, 'INVALID_ARGUMENT')) return error.message;
        throw error;
      }
      throw new Error('the config was accepted');
    };
    expect(
      problems('server:\n  cors: { allowed_origins: ["*"] }\nnamespaces: [{ name: a }]\n'),
    ).toMatch(/server\.cors\.allowed_origins: "\*" needs an auth section/);
    expect(
      problems(
        'server:\n  cors: { allowed_origins: ["https://app.example.com/"] }\nnamespaces: [{ name: a }]\n',
      ),
    ).toMatch(/server\.cors\.allowed_origins\.0: not an origin: "https:\/\/app\.example\.com\/"/);
    await expect(startTestServer({ cors: { allowed_origins: ['*'] } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'server.cors.allowed_origins' },
    });
  });
});
