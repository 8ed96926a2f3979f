import { type Client, createClient, type Transport } from '@connectrpc/connect';
import { createConnectTransport, createGrpcTransport } from '@connectrpc/connect-node';
import { RegistryService } from '@muster/api';
import { pino } from 'pino';
import { parseConfig } from '../../src/config/load-config.js';
import {
  type RunningServer,
  type ServerConfig,
  type StartServerOptions,
  startServer,
} from '../../src/index.js';

/** A server on an ephemeral loopback port, silent unless MUSTER_TEST_LOGS is set. */
export function startTestServer(options: StartServerOptions = {}): Promise<RunningServer> {
  return startServer({
    host: '127.0.0.1',
    port: 0,
    logger: pino({ level: process.env.MUSTER_TEST_LOGS === undefined ? 'silent' : 'debug' }),
    ...options,
  });
}

export function configFrom(yaml: string, env: NodeJS.ProcessEnv = {}): ServerConfig {
  return parseConfig(yaml, 'test.yaml', env);
}

export function grpcClient(
  server: RunningServer,
  headers?: Record<string, string>,
): Client<typeof RegistryService> {
  return createClient(
    RegistryService,
    withHeaders(createGrpcTransport({ baseUrl: server.url }), headers),
  );
}

export function connectClient(
  server: RunningServer,
  headers?: Record<string, string>,
): Client<typeof RegistryService> {
  return createClient(
    RegistryService,
    withHeaders(createConnectTransport({ baseUrl: server.url, httpVersion: '1.1' }), headers),
  );
}

function withHeaders(transport: Transport, headers: Record<string, string> | undefined): Transport {
  if (headers === undefined) return transport;
  return {
    unary: (method, signal, timeoutMs, header, input, contextValues) => {
      const merged = new Headers(header);
      for (const [key, value] of Object.entries(headers)) merged.set(key, value);
      return transport.unary(method, signal, timeoutMs, merged, input, contextValues);
    },
    stream: (method, signal, timeoutMs, header, input, contextValues) => {
      const merged = new Headers(header);
      for (const [key, value] of Object.entries(headers)) merged.set(key, value);
      return transport.stream(method, signal, timeoutMs, merged, input, contextValues);
    },
  };
}

/** A Connect JSON call with fetch: exactly what `curl -X POST -H 'content-type: application/json'` does. */
export async function postJson(
  server: RunningServer,
  method: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${server.url}/muster.v1.RegistryService/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    json: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

/** Takes the next value of an async iterator, failing after `ms`. */
export async function next<T>(iterator: AsyncIterator<T>, ms = 5000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const result = await Promise.race([
    iterator.next(),
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no stream message within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
  if (result.done === true) throw new Error('the stream ended');
  return result.value;
}
