// Service discovery on Muster (RFC-017, use case 1). Service instances register their endpoint
// and health with a short TTL kept alive by heartbeats; the API gateway picks healthy instances
// and watches for changes; the config service broadcasts feature flags to every instance.
//
//   muster-server --config examples/service-discovery/muster.yaml
//   MUSTER_URL=http://127.0.0.1:7070 npx tsx examples/service-discovery/discovery.ts
import { createClient } from '@muster/client';

const services = createClient({
  baseUrl: process.env.MUSTER_URL ?? 'http://127.0.0.1:7070',
  ...(process.env.MUSTER_TOKEN && { token: process.env.MUSTER_TOKEN }),
}).namespace('services');

// Three payment-service instances and one search instance come up.
const instances = [
  {
    id: 'payment-service-instance-41',
    service_name: 'payment-service',
    endpoint: 'http://10.1.2.41:8080',
  },
  {
    id: 'payment-service-instance-42',
    service_name: 'payment-service',
    endpoint: 'http://10.1.2.42:8080',
  },
  {
    id: 'payment-service-instance-43',
    service_name: 'payment-service',
    endpoint: 'http://10.1.2.43:8080',
  },
  {
    id: 'search-service-instance-7',
    service_name: 'search-service',
    endpoint: 'http://10.1.3.7:8080',
  },
];
const metadataOf = (instance: (typeof instances)[number], health_status: string) => ({
  service_name: instance.service_name,
  version: '2.3.1',
  endpoint: instance.endpoint,
  health_status,
  capabilities:
    instance.service_name === 'payment-service' ? ['credit-card', 'paypal'] : ['full-text'],
});
const registrations = await Promise.all(
  instances.map((instance) =>
    services.register({
      identity: instance.id,
      metadata: metadataOf(instance, 'healthy'),
      ttlMs: 30_000,
      replace: true,
      keepAlive: true,
    }),
  ),
);

// Every instance listens for configuration pushes.
const received: string[] = [];
const inboxes = await Promise.all(
  instances.map(async (instance) => {
    const inbox = await services.subscribe(instance.id);
    void (async () => {
      for await (const message of inbox) {
        received.push(instance.id);
        await message.ack();
      }
    })();
    return inbox;
  }),
);

// The gateway: healthy payment-service instances, and a watch that keeps its pool current.
const healthy = 'service_name == "payment-service" and health_status == "healthy"';
const pool = new Set(
  (await services.enumerate({ filter: healthy })).identities.map((record) => record.identity),
);
console.log(`gateway pool: ${[...pool].sort().join(', ')}`);
if (pool.size !== 3) throw new Error('expected three healthy payment-service instances');
const watch = await services.watch({ filter: healthy });
const followed = (async () => {
  for await (const event of watch) {
    if (event.type === 'removed') pool.delete(event.identity);
    else pool.add(event.identity);
    console.log(
      `gateway: ${event.identity} ${event.type} (${event.reason}); pool has ${pool.size}`,
    );
    if (event.type === 'removed') return event;
  }
})();

// Instance 42 degrades: it re-registers with its new health; the gateway drops it.
await services.register({
  identity: 'payment-service-instance-42',
  metadata: metadataOf(instances[1]!, 'degraded'),
  ttlMs: 30_000,
  replace: true,
});
const removal = await followed;
if (removal?.identity !== 'payment-service-instance-42' || [...pool].length !== 2)
  throw new Error('the gateway did not drop the degraded instance');

// The config service pushes new feature flags to every instance, and waits for each to ack.
const report = await services.multicast({
  json: { type: 'config_update', feature_flags: { new_checkout: true } },
  delivery: 'acked',
  timeoutMs: 2_000,
});
console.log(
  `feature flags acknowledged by ${report.deliveredCount}/${report.targetCount} instances`,
);
if (report.deliveredCount !== instances.length) throw new Error('not every instance acknowledged');

await watch.close();
await Promise.all(inboxes.map((inbox) => inbox.close()));
await Promise.all(registrations.map((registration) => registration.close()));
console.log('instances deregistered');
process.exit(0);
