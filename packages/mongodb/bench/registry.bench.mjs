/**
 * MongoDB registry benchmark: register and heartbeat throughput, enumerate latency (selective
 * ~1% and broad ~50% filters), multicast target resolution, and the prototype's naive strategy
 * (fetch every identity, filter in Node) side by side in the same run.
 *
 * Run: pnpm --filter @muster/mongodb bench -- --sizes 10000,100000,1000000
 * Options: --sizes (default 10000,100000), --concurrency (default 64), --url (default
 * MONGODB_URL or mongodb://127.0.0.1:27017), --event-retention-ms (default 10000),
 * --sweep-ms (default 1000). Against the in-memory mongo-java-server these figures are not
 * representative of MongoDB: that server ignores secondary indexes and scans.
 *
 * Every register appends a change event. As in a deployment (the coordinator sweeps every
 * second by default), a sweep runs every --sweep-ms during the register phase and trims events
 * older than --event-retention-ms; without it 1M registers leave 1M event documents behind.
 */

import os from 'node:os';
import { compile, parse } from '@muster/filter';
import { MongoClient } from 'mongodb';
import { runPool } from '../../../tooling/bench/run-pool.mjs';
import { seededRandom } from '../../../tooling/bench/seeded-random.mjs';
import { timeRuns } from '../../../tooling/bench/time-runs.mjs';
import { walkCount } from '../../../tooling/bench/walk-count.mjs';
import { createMongoRegistry } from '../dist/index.js';

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
}

const sizes = option('sizes', '10000,100000').split(',').map(Number);
const concurrency = Number(option('concurrency', '64'));
const url = option('url', process.env.MONGODB_URL || 'mongodb://127.0.0.1:27017');
const eventRetentionMs = Number(option('event-retention-ms', '10000'));
const sweepMs = Number(option('sweep-ms', '1000'));
const database = 'muster_bench';

const DEVICE_TYPES = [
  'thermostat',
  'camera',
  'lock',
  'meter',
  'light',
  'sensor',
  'hub',
  'plug',
  'tracker',
  'gateway',
];
const CITIES = ['Berlin', 'Paris', 'Madrid', 'Rome', 'Vienna', 'Oslo', 'Lisbon', 'Dublin'];
const REGIONS = ['eu-west', 'eu-central', 'us-east', 'ap-south'];
const TAGS = ['gps', 'wifi', 'ble', 'lte', 'zigbee', 'battery', 'mains'];

function metadataFor(i, next) {
  return {
    device_type: DEVICE_TYPES[i % DEVICE_TYPES.length],
    firmware_version: `1.${Math.floor(next() * 4)}.${Math.floor(next() * 10)}`,
    battery_level: Math.round(next() * 1000) / 1000,
    location: {
      city: CITIES[Math.floor(next() * CITIES.length)],
      zone: `z${Math.floor(next() * 50)}`,
    },
    tags: TAGS.filter(() => next() < 0.3),
    last_seen: 1_760_000_000_000 + Math.floor(next() * 86_400_000),
    status: next() < 0.5 ? 'online' : 'away',
    region: REGIONS[Math.floor(next() * REGIONS.length)],
  };
}

// ~1%: one device type in ten, a tenth of the battery range.
const SELECTIVE = 'device_type == "thermostat" and battery_level < 0.1';
// ~50%.
const BROAD = 'status == "online"';

async function drop(prefix) {
  const client = new MongoClient(url);
  try {
    const db = client.db(database);
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray())
      if (name.startsWith(prefix)) await db.dropCollection(name);
  } finally {
    await client.close();
  }
}

/**
 * Sweeps `namespace` every `intervalMs` until stopped, one pass at a time (as the coordinator's
 * background sweeper does); the sweep trims the event log. `stop()` waits for the running pass.
 */
function startSweeper(slot, namespace, now, intervalMs) {
  let running;
  let failure;
  const timer = setInterval(() => {
    if (running !== undefined || failure !== undefined) return;
    running = slot
      .sweep(namespace, now, 1_000)
      .catch((error) => {
        failure = error;
      })
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  return async () => {
    clearInterval(timer);
    await running;
    if (failure !== undefined) throw failure;
  };
}

const loadAverage = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');

const ms = (value) => `${value.toFixed(1)} ms`;
const rate = (value) => `${Math.round(value).toLocaleString('en-US')}/s`;
// Rows print as each size finishes, so a run that fails at a larger size keeps the smaller ones.
console.log(
  `MongoDB registry, ${url.replace(/\/\/[^@]*@/, '//')}, concurrency ${concurrency}, Node ${process.version}`,
);
console.log(`selective: ${SELECTIVE}; broad: ${BROAD}`);
console.log(
  `event retention ${eventRetentionMs} ms, sweep every ${sweepMs} ms while registering; load average (1/5/15 min) at start: ${loadAverage()}`,
);
console.log('');
console.log(
  '| identities | register | heartbeat (touchMany) | selective page p50 / p99 | broad page p50 / p99 | selective walk p50 / p99 (matches) | multicast targets p50 | naive scan p50 | naive / selective page | naive / selective walk |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
const printRow = (row) =>
  console.log(
    `| ${row.size.toLocaleString('en-US')} | ${rate(row.registerPerSecond)} | ${rate(row.heartbeatPerSecond)} | ${ms(row.selectivePage.p50)} / ${ms(row.selectivePage.p99)} | ${ms(row.broadPage.p50)} / ${ms(row.broadPage.p99)} | ${ms(row.selectiveWalk.p50)} / ${ms(row.selectiveWalk.p99)} (${row.matches}) | ${ms(row.targets.p50)} | ${ms(row.naive.p50)} | ${(row.naive.p50 / row.selectivePage.p50).toFixed(1)}x | ${(row.naive.p50 / row.selectiveWalk.p50).toFixed(1)}x |`,
  );

for (const size of sizes) {
  const prefix = `bench_${size}_${Date.now().toString(36)}_`;
  const slot = createMongoRegistry({
    url,
    database,
    collectionPrefix: prefix,
    reapAfterSeconds: false,
    eventRetentionMs,
  });
  const client = new MongoClient(url);
  const namespace = 'iot';
  const now = Date.now();
  const next = seededRandom(size);
  const identities = Array.from({ length: size }, (_, i) => `device-${String(i).padStart(7, '0')}`);
  const records = identities.map((identity, i) => ({
    identity,
    metadata: metadataFor(i, next),
    registeredAt: now,
    updatedAt: now,
    expiresAt: now + 3_600_000,
  }));
  try {
    let started = performance.now();
    const stopSweeper = startSweeper(slot, namespace, now, sweepMs);
    try {
      await runPool(size, concurrency, (i) =>
        slot.put(namespace, records[i], { mode: 'create' }, now),
      );
    } finally {
      await stopSweeper();
    }
    const registerPerSecond = size / ((performance.now() - started) / 1_000);

    const beats = Math.min(size, 20_000);
    started = performance.now();
    await runPool(Math.ceil(beats / 500), Math.max(1, concurrency / 8), (batch) =>
      slot.touchMany(
        namespace,
        identities
          .slice(batch * 500, Math.min(beats, batch * 500 + 500))
          .map((identity) => ({ identity, expiresAt: now + 7_200_000 })),
        now,
      ),
    );
    const heartbeatPerSecond = beats / ((performance.now() - started) / 1_000);

    const selective = parse(SELECTIVE);
    const broad = parse(BROAD);
    const runs = size >= 1_000_000 ? 5 : size >= 100_000 ? 10 : 30;
    const walkRuns = size >= 1_000_000 ? 3 : 5;
    const firstPage = (filter) => () =>
      slot.enumerate(
        namespace,
        { filter, limit: 100, sort: [], includeMetadata: true, totalCount: false },
        now,
      );
    const selectivePage = await timeRuns(runs, firstPage(selective));
    const broadPage = await timeRuns(runs, firstPage(broad));
    let matches = 0;
    const selectiveWalk = await timeRuns(walkRuns, async () => {
      matches = await walkCount(slot, namespace, selective, {
        limit: 1_000,
        includeMetadata: true,
        now,
      });
    });
    const targets = await timeRuns(walkRuns, () =>
      walkCount(slot, namespace, selective, { limit: 1_000, includeMetadata: false, now }),
    );
    // The prototype's strategy: every identity to the client, then the filter in Node.
    const predicate = compile(selective);
    const identitiesCollection = client.db(database).collection(`${prefix}identities`);
    let naiveMatches = 0;
    const naive = await timeRuns(walkRuns, async () => {
      naiveMatches = 0;
      for await (const document of identitiesCollection.find({ ns: namespace }))
        if (
          (document.expiresAt === null || document.expiresAt > now) &&
          predicate(document.metadata)
        )
          naiveMatches++;
    });
    if (naiveMatches !== matches)
      throw new Error(`naive found ${naiveMatches}, the adapter ${matches}`);
    printRow({
      size,
      registerPerSecond,
      heartbeatPerSecond,
      selectivePage,
      broadPage,
      selectiveWalk,
      targets,
      naive,
      matches,
    });
  } finally {
    await slot.close();
    await client.close();
    await drop(prefix);
  }
}
console.log('');
console.log(`load average (1/5/15 min) at end: ${loadAverage()}`);
