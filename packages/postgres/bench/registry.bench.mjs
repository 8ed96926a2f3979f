// Benchmark of the PostgreSQL registry slot: register (put) throughput with concurrency,
// heartbeats (touchMany), enumerate latency for a selective (~1%) and a broad (~50%) filter
// (first page of 100 and a full walk), multicast target resolution (a walk of identities only),
// and the prototype's naive strategy (fetch every identity, filter in Node) side by side.
//
//   pnpm --filter @muster/postgres bench -- --sizes 10000,100000,1000000
//   options: --concurrency 64 --pool 16 --schema muster_bench --url postgres://...
//   --put-batch 500 (most puts per statement), --unbatched-sample N (also time N puts sent one
//   statement each, under the same load)
import { parseArgs } from 'node:util';
import { compile, parse } from '@muster/filter';
import { runPool } from '../../../tooling/bench/run-pool.mjs';
import { timeRuns } from '../../../tooling/bench/time-runs.mjs';
import { walkCount } from '../../../tooling/bench/walk-count.mjs';
import { createPostgresRegistry } from '../dist/index.js';

const { values } = parseArgs({
  // `pnpm bench -- --sizes ...` passes the `--` through.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    sizes: { type: 'string', default: '10000,100000,1000000' },
    concurrency: { type: 'string', default: '64' },
    pool: { type: 'string', default: '16' },
    schema: { type: 'string', default: 'muster_bench' },
    url: { type: 'string' },
    'synchronous-commit': { type: 'string', default: 'off' },
    'sync-sample': { type: 'string', default: '20000' },
    'register-sample': { type: 'string', default: '100000' },
    'put-batch': { type: 'string', default: '500' },
    'unbatched-sample': { type: 'string', default: '0' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const concurrency = Number(values.concurrency);
const poolSize = Number(values.pool);
const url = values.url ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const SELECTIVE = 'device_type == "gateway"'; // 1 in 100
const BROAD = 'status == "online"'; // 1 in 2
const CITIES = ['Berlin', 'Paris', 'Madrid', 'Rome', 'Vienna', 'Prague', 'Oslo', 'Lisbon'];
const TYPES = ['sensor', 'camera', 'thermostat'];

function metadataOf(i, now) {
  return {
    device_type: i % 100 === 0 ? 'gateway' : TYPES[i % 3],
    firmware_version: `1.${i % 4}.${i % 10}`,
    battery_level: ((i * 7919) % 1000) / 1000,
    location: { city: CITIES[i % CITIES.length], zone: `z${i % 50}` },
    tags: i % 5 === 0 ? ['outdoor', 'critical'] : ['indoor'],
    last_seen: now - (i % 60_000),
    status: i % 2 === 0 ? 'online' : 'away',
    region: i % 3 === 0 ? 'eu-west' : 'eu-central',
  };
}

/** Inserts identities [from, to) in batches of 5,000 rows per statement. */
async function bulkLoad(slot, namespace, from, to, now) {
  for (let start = from; start < to; start += 5_000) {
    const rows = [];
    for (let i = start; i < Math.min(to, start + 5_000); i++)
      rows.push({ identity: `device-${String(i).padStart(7, '0')}`, metadata: metadataOf(i, now) });
    await slot.pool.query(
      `INSERT INTO "${values.schema}".identities (namespace, identity, metadata, registered_at, updated_at, expires_at)
       SELECT $1, x.identity, x.metadata, $2, $2, $3 FROM jsonb_to_recordset($4::jsonb) AS x(identity text, metadata jsonb)`,
      [namespace, now, now + 3_600_000, JSON.stringify(rows)],
    );
  }
}

/** The prototype's way: every identity with its metadata to the client, filtered in Node. */
async function naive(registry, namespace, filter) {
  const matches = compile(filter);
  const result = await registry.pool.query(
    `SELECT identity, metadata FROM "${values.schema}".identities WHERE namespace = $1`,
    [namespace],
  );
  return result.rows.filter((row) => matches(row.metadata)).length;
}

const synchronousCommit = values['synchronous-commit'] === 'on';
const maxPutBatch = Number(values['put-batch']);
const registry = createPostgresRegistry({
  url,
  schema: values.schema,
  poolSize,
  synchronousCommit,
  maxPutBatch,
});
// The same without batching (one statement per put), to compare under the same load.
const unbatched = createPostgresRegistry({
  url,
  schema: values.schema,
  poolSize,
  synchronousCommit,
  maxPutBatch: 1,
});
// Register throughput with the other synchronous_commit setting, on a smaller sample.
const other = createPostgresRegistry({
  url,
  schema: values.schema,
  poolSize,
  synchronousCommit: !synchronousCommit,
  maxPutBatch,
});

let nodeCpuPerPut = 0;
async function registerAll(slot, namespace, count, now) {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await runPool(count, concurrency, (i) =>
    slot.put(
      namespace,
      {
        identity: `device-${String(i).padStart(7, '0')}`,
        metadata: metadataOf(i, now),
        registeredAt: now,
        updatedAt: now,
        expiresAt: now + 3_600_000,
      },
      { mode: 'create' },
      now,
    ),
  );
  const used = process.cpuUsage(cpu);
  nodeCpuPerPut = (used.user + used.system) / count;
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}
const rows = [];
const fmt = (n, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
try {
  for (const size of sizes) {
    const namespace = `bench-${size}-${Date.now()}`;
    const now = Date.now();
    // Register throughput is measured on the first `register-sample` identities through put;
    // the rest are bulk-loaded (same generator) so the enumerate figures see `size` identities.
    const registered = Math.min(size, Number(values['register-sample']));
    const registerRate = await registerAll(registry, namespace, registered, now);
    await bulkLoad(registry, namespace, registered, size, now);
    const sample = Math.min(size, Number(values['sync-sample']));
    const otherNamespace = `${namespace}-other`;
    const otherRate = await registerAll(other, otherNamespace, sample, now);
    const unbatchedSample = Math.min(size, Number(values['unbatched-sample']));
    const unbatchedRate =
      unbatchedSample > 0
        ? await registerAll(unbatched, `${namespace}-unbatched`, unbatchedSample, now)
        : undefined;
    if (unbatchedRate !== undefined)
      console.error(
        `size ${size}: register without batching ${fmt(unbatchedRate, 0)} ops/s (${fmt(unbatchedSample, 0)}, synchronous_commit ${synchronousCommit ? 'on' : 'off'})`,
      );
    console.error(`size ${size}: registered; Node CPU ${fmt(nodeCpuPerPut)} µs per put`);
    await registry.pool.query(
      `DELETE FROM "${values.schema}".identities WHERE namespace = $1 OR namespace = $2`,
      [otherNamespace, `${namespace}-unbatched`],
    );
    await registry.pool.query(`ANALYZE "${values.schema}".identities`);

    const batch = 1_000;
    const heartbeatStart = process.hrtime.bigint();
    const batches = Math.ceil(size / batch);
    let nextBatch = 0;
    await Promise.all(
      Array.from({ length: Math.min(8, batches) }, async () => {
        while (nextBatch < batches) {
          const b = nextBatch++;
          const updates = [];
          for (let i = b * batch; i < Math.min(size, (b + 1) * batch); i++)
            updates.push({
              identity: `device-${String(i).padStart(7, '0')}`,
              expiresAt: now + 7_200_000,
            });
          await registry.touchMany(namespace, updates, now);
        }
      }),
    );
    const heartbeatSeconds = Number(process.hrtime.bigint() - heartbeatStart) / 1e9;

    const selective = parse(SELECTIVE);
    const broad = parse(BROAD);
    const walkRuns = size >= 1_000_000 ? 5 : 20;
    const firstPage = (filter) => () =>
      registry.enumerate(
        namespace,
        { filter, limit: 100, sort: [], includeMetadata: true, totalCount: false },
        now,
      );
    const selectiveFirst = await timeRuns(50, firstPage(selective));
    const selectiveWalk = await timeRuns(walkRuns, () =>
      walkCount(registry, namespace, selective, { limit: 1000, includeMetadata: true, now }),
    );
    const broadFirst = await timeRuns(50, firstPage(broad));
    const broadWalk = await timeRuns(3, () =>
      walkCount(registry, namespace, broad, { limit: 1000, includeMetadata: true, now }),
    );
    const targets = await timeRuns(walkRuns, () =>
      walkCount(registry, namespace, selective, { limit: 1000, includeMetadata: false, now }),
    );
    const naiveScan = await timeRuns(3, () => naive(registry, namespace, selective));
    const expected = await naive(registry, namespace, selective);
    const walked = await walkCount(registry, namespace, selective, {
      limit: 1000,
      includeMetadata: false,
      now,
    });
    if (expected !== walked) throw new Error(`walk found ${walked}, the naive scan ${expected}`);

    rows.push([
      fmt(size, 0),
      `${fmt(registerRate, 0)} (${fmt(registered, 0)})`,
      `${fmt(otherRate, 0)} (${fmt(sample, 0)})`,
      fmt(size / heartbeatSeconds, 0),
      `${fmt(selectiveFirst.p50)} / ${fmt(selectiveFirst.p99)}`,
      `${fmt(selectiveWalk.p50)} / ${fmt(selectiveWalk.p99)}`,
      `${fmt(broadFirst.p50)} / ${fmt(broadFirst.p99)}`,
      `${fmt(broadWalk.p50)} / ${fmt(broadWalk.p99)}`,
      `${fmt(targets.p50)} / ${fmt(targets.p99)}`,
      fmt(naiveScan.p50),
      `${fmt(naiveScan.p50 / selectiveFirst.p50, 0)}x`,
      `${fmt(naiveScan.p50 / targets.p50)}x`,
    ]);
    console.error(`size ${size}: done (${expected} selective matches)`);
    await registry.pool.query(`DELETE FROM "${values.schema}".identities WHERE namespace = $1`, [
      namespace,
    ]);
    // Dead rows left for autovacuum would slow the next size's index scans.
    await registry.pool.query(`VACUUM ANALYZE "${values.schema}".identities`);
  }
} finally {
  await registry.close();
  await other.close();
  await unbatched.close();
}

console.log(
  `\nNode ${process.version}, PostgreSQL at ${new URL(url).host}, concurrency ${concurrency}, pool ${poolSize}, puts per statement up to ${maxPutBatch}; latencies in ms (p50 / p99)`,
);
console.log(`selective: ${SELECTIVE} (1%), broad: ${BROAD} (50%); walks use pages of 1,000\n`);
const header = [
  'identities',
  `register ops/s (synchronous_commit ${synchronousCommit ? 'on' : 'off'}, sample)`,
  `register ops/s (synchronous_commit ${synchronousCommit ? 'off' : 'on'}, sample)`,
  'heartbeat ops/s (touchMany)',
  'selective first page',
  'selective full walk',
  'broad first page',
  'broad full walk',
  'multicast targets (selective walk, ids only)',
  'naive scan p50',
  'naive / selective first page',
  'naive / multicast targets',
];
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---:').join('|')}|`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
