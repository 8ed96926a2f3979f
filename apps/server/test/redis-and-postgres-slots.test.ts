import { fileURLToPath } from 'node:url';
import { durationFromMs } from '@bufbuild/protobuf/wkt';
import { DeliveryMode, DeliveryStatus } from '@muster/api';
import { describe, expect, it } from 'vitest';
import { loadConfig, type RunningServer, type ServerConfig } from '../src/index.js';
import { firstUnreachable } from './support/shared-slot-sets.js';
import { configFrom, connectClient, next, startTestServer } from './support/test-server.js';

// The server builds its slots from config (the factories, no test doubles) on Redis alone and on
// PostgreSQL with memory messaging; an at-least-once multicast goes through the durability slot
// to a subscriber on the Connect API, is acked, and GetMulticast reports it.
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Backends {
  readonly name: string;
  readonly probe: readonly string[];
  config(namespace: string): Promise<ServerConfig>;
}

const backends: readonly Backends[] = [
  {
    name: 'Redis registry, messaging and durability (config/presence.redis.yaml)',
    probe: [redisUrl],
    config: async (namespace) => {
      const config = await loadConfig(
        fileURLToPath(new URL('../config/presence.redis.yaml', import.meta.url)),
        { REDIS_URL: redisUrl },
      );
      return { ...config, namespaces: [{ ...config.namespaces[0]!, name: namespace }] };
    },
  },
  {
    name: 'PostgreSQL registry and durability, memory messaging',
    probe: [databaseUrl],
    config: async (namespace) =>
      configFrom(
        `namespaces:
  - name: ${namespace}
    backend_slots:
      registry: { type: postgres, connection: "\${DATABASE_URL}" }
      messaging: { type: memory }
      durability: { type: postgresql, url: "\${DATABASE_URL}", retention: 1h, max_length: 100 }
`,
        { DATABASE_URL: databaseUrl },
      ),
  },
];

for (const backend of backends) {
  const unreachable = await firstUnreachable(backend.probe);
  // Locally an unreachable backend skips (saying why); in CI it fails.
  if (unreachable !== undefined && process.env.CI !== 'true')
    console.warn(`skipping the server on ${backend.name}: ${unreachable}`);
  describe.skipIf(unreachable !== undefined && process.env.CI !== 'true')(
    `the server on ${backend.name}`,
    () => {
      it('delivers an at-least-once multicast through the durability slot', async () => {
        if (unreachable !== undefined) throw new Error(unreachable);
        const namespace = `slots-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}`;
        let server: RunningServer | undefined;
        try {
          server = await startTestServer({ config: await backend.config(namespace) });
          expect(await (await fetch(`${server.url}/readyz`)).json()).toMatchObject({
            ready: true,
            namespaces: [{ namespace, registry: 'up', durability: 'up' }],
          });
          const client = connectClient(server);
          await client.register({ namespace, identity: 'user-1', metadata: { status: 'online' } });
          const controller = new AbortController();
          const inbox = client
            .subscribe({ namespace, identity: 'user-1' }, { signal: controller.signal })
            [Symbol.asyncIterator]();
          expect((await next(inbox)).event.case).toBe('started');

          const sent = await client.multicast({
            namespace,
            filter: { kind: { case: 'stringValue', value: 'status == "online"' } },
            payload: new TextEncoder().encode('hello'),
            delivery: DeliveryMode.AT_LEAST_ONCE,
            timeout: durationFromMs(5000),
          });
          const report = sent.report!;
          expect(report.deliveries.map((d) => d.identity)).toEqual(['user-1']);
          const message = await next(inbox, 20_000);
          if (message.event.case !== 'message') throw new Error('expected a message');
          expect(new TextDecoder().decode(message.event.value.payload)).toBe('hello');
          expect(message.event.value.multicastId).toBe(report.multicastId);
          const acked = await client.ack({
            namespace,
            identity: 'user-1',
            messageIds: [message.event.value.messageId],
          });
          expect(acked.acked).toBe(1);
          controller.abort();

          const again = (await client.getMulticast({ namespace, multicastId: report.multicastId }))
            .report!;
          expect(again.multicastId).toBe(report.multicastId);
          expect(again.deliveries.map((d) => [d.identity, d.status])).toEqual([
            ['user-1', expect.toBeOneOf([DeliveryStatus.QUEUED, DeliveryStatus.DELIVERED])],
          ]);
        } catch (error) {
          console.error(`the server on ${backend.name}:`, error);
          throw error;
        } finally {
          await server?.close();
        }
      });
    },
  );
}
