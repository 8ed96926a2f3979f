import { durationFromMs } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import {
  configFrom,
  connectClient,
  grpcClient,
  next,
  postJson,
  startTestServer,
} from './support/test-server.js';

async function metricsOf(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

function sampleOf(metrics: string, line: string): number | undefined {
  const found = metrics.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('health, readiness and metrics', () => {
  it('serves /healthz, /readyz with each backend, and the Prometheus metrics', async () => {
    const server = await startTestServer({
      config: configFrom(`namespaces:
  - name: iot
    backend_slots:
      durability: { type: memory }
`),
      sweepIntervalMs: 50,
    });
    try {
      expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        ready: true,
        namespaces: [
          { namespace: 'iot', registry: 'up', messaging: 'unchecked', durability: 'up' },
        ],
      });

      const client = grpcClient(server);
      await client.register({ namespace: 'iot', identity: 'a', metadata: { v: 1 } });
      await client.register({ namespace: 'iot', identity: 'short-lived', ttl: durationFromMs(20) });
      await client.enumerate({ namespace: 'iot', filter: undefined });
      const controller = new AbortController();
      const inbox = client
        .subscribe({ namespace: 'iot', identity: 'a' }, { signal: controller.signal })
        [Symbol.asyncIterator]();
      await next(inbox);
      await client.multicast({ namespace: 'iot', payload: new Uint8Array([1]) });
      await postJson(server, 'Get', { namespace: 'iot', identity: 'nobody' });
      await new Promise((resolve) => setTimeout(resolve, 300)); // a few sweeps
      const metrics = await metricsOf(server.url);
      expect(sampleOf(metrics, 'muster_registered_identities{namespace="iot"}')).toBe(1);
      expect(sampleOf(metrics, 'muster_ttl_expirations_total{namespace="iot"}')).toBe(1);
      expect(sampleOf(metrics, 'muster_multicast_delivered_total{namespace="iot"}')).toBe(0);
      expect(
        sampleOf(metrics, 'muster_multicast_deliveries_total{namespace="iot",status="SENT"}'),
      ).toBe(1);
      expect(sampleOf(metrics, 'muster_enumerate_duration_seconds_count{namespace="iot"}')).toBe(1);
      expect(
        sampleOf(metrics, 'muster_requests_total{method="Register",namespace="iot",code="ok"}'),
      ).toBe(2);
      expect(
        sampleOf(metrics, 'muster_requests_total{method="Get",namespace="iot",code="NotFound"}'),
      ).toBe(1);
      expect(
        sampleOf(
          metrics,
          'muster_errors_total{method="Get",namespace="iot",muster_code="NOT_FOUND"}',
        ),
      ).toBe(1);
      expect(sampleOf(metrics, 'muster_open_streams{method="Subscribe"}')).toBe(1);
      controller.abort();
    } finally {
      await server.close();
    }
  });

  it('counts and probes the embedded default (every namespace it has served)', async () => {
    const server = await startTestServer();
    try {
      await postJson(server, 'Register', { namespace: 'first', identity: 'a' });
      await postJson(server, 'Register', { namespace: 'second', identity: 'b' });
      await postJson(server, 'Register', { namespace: 'second', identity: 'c' });
      const metrics = await metricsOf(server.url);
      expect(sampleOf(metrics, 'muster_registered_identities{namespace="first"}')).toBe(1);
      expect(sampleOf(metrics, 'muster_registered_identities{namespace="second"}')).toBe(2);
      expect(await (await fetch(`${server.url}/readyz`)).json()).toMatchObject({
        ready: true,
        namespaces: [{ namespace: 'default', registry: 'up', durability: 'up' }],
      });
    } finally {
      await server.close();
    }
  });

  it('reports a backend that fails as down (503) and recovers when it answers again', async () => {
    const { createMemoryMessaging, createMemoryRegistry } = await import('@muster/core');
    const registry = createMemoryRegistry();
    const messaging = createMemoryMessaging();
    let broken = false;
    const flaky = new Proxy(registry, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (property === 'get' && typeof value === 'function')
          return (...args: unknown[]) =>
            broken ? Promise.reject(new Error('connection refused')) : value.apply(target, args);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const server = await startTestServer({
      config: configFrom('namespaces:\n  - name: iot\n'),
      slots: () => ({ registry: flaky, messaging, durability: null }),
    });
    try {
      broken = true;
      const down = await fetch(`${server.url}/readyz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({
        ready: false,
        namespaces: [{ registry: 'down', errors: { registry: 'connection refused' } }],
      });
      broken = false;
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      await server.close();
      await Promise.all([registry.close(), messaging.close()]);
    }
  });
});

describe('graceful shutdown', () => {
  it('ends open streams cleanly, waits for a multicast in flight, then stops listening', async () => {
    const server = await startTestServer();
    const client = connectClient(server);
    await client.register({ namespace: 'default', identity: 'slow-acker' });
    const inbox = client
      .subscribe({ namespace: 'default', identity: 'slow-acker' })
      [Symbol.asyncIterator]();
    expect((await next(inbox)).event.case).toBe('started');
    const watch = client.watch({ namespace: 'default' })[Symbol.asyncIterator]();
    expect((await next(watch)).event.case).toBe('started');
    // An acked multicast that is waiting for its ack when shutdown starts.
    const multicast = client.multicast({
      namespace: 'default',
      payload: new Uint8Array([7]),
      delivery: 2,
      timeout: durationFromMs(800),
    });
    expect((await next(inbox)).event.case).toBe('message');
    const closing = server.close();
    const report = await multicast;
    expect(report.report?.deliveries[0]?.status).toBe(6); // TIMEOUT: finished, not cut off
    // Both streams end normally (done), not with an error.
    await expect(inbox.next()).resolves.toMatchObject({ done: true });
    await expect(watch.next()).resolves.toMatchObject({ done: true });
    await closing;
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
