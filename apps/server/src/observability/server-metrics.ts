import type { IdentityDelivery } from '@muster/core';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The server's Prometheus metrics, in a registry of its own (two servers in one process never
 * share counters). `registeredIdentities` is filled at scrape time by `countIdentities`.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'method' | 'namespace' | 'code'>;
  readonly requestDuration: Histogram<'method'>;
  readonly errors: Counter<'method' | 'namespace' | 'muster_code'>;
  readonly enumerateLatency: Histogram<'namespace'>;
  readonly multicasts: Counter<'namespace' | 'delivery'>;
  readonly multicastTargets: Counter<'namespace'>;
  readonly multicastDelivered: Counter<'namespace'>;
  readonly deliveryStatuses: Counter<'namespace' | 'status'>;
  readonly ttlExpirations: Counter<'namespace'>;
  readonly openStreams: Gauge<'method'>;
  readonly registeredIdentities: Gauge<'namespace'>;

  constructor(countIdentities: () => Promise<ReadonlyMap<string, number>>) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'muster_process_' });
    this.requests = new Counter({
      name: 'muster_requests_total',
      help: 'RPCs handled, by method, namespace and gRPC/Connect code (ok for success)',
      labelNames: ['method', 'namespace', 'code'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'muster_request_duration_seconds',
      help: 'Duration of unary RPCs',
      labelNames: ['method'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.errors = new Counter({
      name: 'muster_errors_total',
      help: 'Failed RPCs, by method, namespace and Muster error code',
      labelNames: ['method', 'namespace', 'muster_code'],
      registers,
    });
    this.enumerateLatency = new Histogram({
      name: 'muster_enumerate_duration_seconds',
      help: 'Enumerate latency',
      labelNames: ['namespace'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.multicasts = new Counter({
      name: 'muster_multicasts_total',
      help: 'Multicasts completed, by namespace and delivery mode',
      labelNames: ['namespace', 'delivery'],
      registers,
    });
    this.multicastTargets = new Counter({
      name: 'muster_multicast_targets_total',
      help: 'Identities targeted by multicasts',
      labelNames: ['namespace'],
      registers,
    });
    this.multicastDelivered = new Counter({
      name: 'muster_multicast_delivered_total',
      help: 'Multicast messages with status DELIVERED',
      labelNames: ['namespace'],
      registers,
    });
    this.deliveryStatuses = new Counter({
      name: 'muster_multicast_deliveries_total',
      help: 'Per-identity multicast outcomes, by namespace and delivery status',
      labelNames: ['namespace', 'status'],
      registers,
    });
    this.ttlExpirations = new Counter({
      name: 'muster_ttl_expirations_total',
      help: "Identities removed by this server's TTL sweeps",
      labelNames: ['namespace'],
      registers,
    });
    this.openStreams = new Gauge({
      name: 'muster_open_streams',
      help: 'Open Subscribe and Watch streams',
      labelNames: ['method'],
      registers,
    });
    this.registeredIdentities = new Gauge({
      name: 'muster_registered_identities',
      help: 'Registered identities per namespace (when the registry backend can count)',
      labelNames: ['namespace'],
      registers,
      async collect() {
        this.reset();
        for (const [namespace, count] of await countIdentities()) this.set({ namespace }, count);
      },
    });
  }

  recordDeliveries(namespace: string, deliveries: readonly IdentityDelivery[]): void {
    const counts = new Map<string, number>();
    for (const delivery of deliveries)
      counts.set(delivery.status, (counts.get(delivery.status) ?? 0) + 1);
    for (const [status, count] of counts) this.deliveryStatuses.inc({ namespace, status }, count);
  }
}
