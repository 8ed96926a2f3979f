// Benchmark of the durability slot and the transactional outbox on PostgreSQL: durable enqueue
// (single messages with concurrency, and batches to many identities), outbox multicast writes
// (each resolving its targets in SQL) and relay throughput to the in-memory messaging slot
// (one and two relays), each printed as a rate. Figures, not assertions.
//
//   pnpm --filter @muster/postgres bench:outbox -- --targets 20 --multicasts 2000
//   options: --concurrency 32 --pool 16 --batch 100,500 --schema muster_bench_outbox --url ...
import { parseArgs } from 'node:util';
import { createMemoryMessaging } from '@muster/core';
import pg from 'pg';
import {
  createOutboxRelay,
  createPostgresDurability,
  createPostgresOutbox,
  createPostgresRegistry,
} from '../dist/index.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    targets: { type: 'string', default: '20' },
    multicasts: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '32' },
    pool: { type: 'string', default: '16' },
    batch: { type: 'string', default: '100,500' },
    schema: { type: 'string', default: 'muster_bench_outbox' },
    url: { type: 'string' },
  },
});
const url = values.url ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = values.schema;
const targets = Number(values.targets);
const multicasts = Number(values.multicasts);
const concurrency = Number(values.concurrency);
const poolSize = Number(values.pool);
const batchSizes = values.batch.split(',').map(Number);

/** Runs `count` calls of `body(i)` with `concurrency` in flight; returns calls per second. */
async function rate(count, body) {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await body(next++);
    }),
  );
  return count / ((performance.now() - start) / 1000);
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');

async function dropSchema() {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

function envelope(identity, i) {
  return {
    messageId: `m-${i}`,
    multicastId: `mc-${i}`,
    identity,
    payload: new TextEncoder().encode(`payload ${i}`),
    contentType: 'text/plain',
    attempt: 1,
    createdAt: Date.now(),
  };
}

await dropSchema();
console.log(
  `node ${process.version}, ${targets} targets per multicast, concurrency ${concurrency}, pool ${poolSize}`,
);

// Durability: single-message enqueues from concurrent callers, then batches of 1,000.
const durability = createPostgresDurability({ url, schema, poolSize, retention: {} });
await durability.read('bench', 'warm', { limit: 1 }, Date.now());
const singles = 5_000;
const single = await rate(singles, (i) =>
  durability.enqueue('bench', [envelope(`id-${i % 500}`, i)], Date.now()),
);
console.log(`durable enqueue, 1 message per call: ${fmt(single)} messages/s (${fmt(singles)})`);
const batches = 20;
const batched = await rate(batches, (b) =>
  durability.enqueue(
    'bench-batch',
    Array.from({ length: 1_000 }, (_, i) => envelope(`id-${i}`, b * 1_000 + i)),
    Date.now(),
  ),
);
console.log(`durable enqueue, 1,000 identities per call: ${fmt(batched * 1_000)} messages/s`);
const reads = await rate(5_000, (i) =>
  durability.read('bench', `id-${i % 500}`, { limit: 10 }, Date.now()),
);
console.log(`durable read (10 of ~10 per identity): ${fmt(reads)} reads/s`);
await durability.close();

// Outbox: the registry holds `targets` workers (the filter's matches) and as many others.
const registry = createPostgresRegistry({ url, schema, poolSize: 4 });
const now = Date.now();
for (let i = 0; i < targets * 2; i++)
  await registry.put(
    'agents',
    {
      identity: `agent-${String(i).padStart(4, '0')}`,
      metadata: { agent_type: i < targets ? 'worker' : 'sensor', current_tasks: i % 5 },
      registeredAt: now,
      updatedAt: now,
      expiresAt: null,
    },
    { mode: 'create' },
    now,
  );
await registry.close();

for (const batchSize of batchSizes) {
  for (const relays of [1, 2]) {
    const table = `bench_${batchSize}_${relays}`;
    const outbox = createPostgresOutbox({ url, schema, table, poolSize });
    const written = await rate(multicasts, (i) =>
      outbox.multicast({
        namespace: 'agents',
        filter: 'agent_type == "worker"',
        payload: `task ${i}`,
        idempotencyKey: `task-${i}`,
      }),
    );
    const messaging = createMemoryMessaging();
    const total = multicasts * targets;
    const running = Array.from({ length: relays }, () =>
      createOutboxRelay({ outbox, messaging, batchSize, pollIntervalMs: 5 }),
    );
    const start = performance.now();
    let relayed = 0;
    await Promise.all(
      running.map(async (relay) => {
        for (;;) {
          const claimed = await relay.relayOnce();
          if (claimed === 0) return;
          relayed += claimed;
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    if (relayed !== total) throw new Error(`relayed ${relayed} of ${total}`);
    console.log(
      `outbox ${table}: multicast writes ${fmt(written)}/s (${fmt(written * targets)} targets/s); ` +
        `relay batch ${batchSize} x${relays}: ${fmt(total / seconds)} targets/s (${fmt(total)})`,
    );
    await messaging.close();
    await outbox.close();
  }
}
await dropSchema();
