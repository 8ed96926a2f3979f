// Registry benchmark on a real Redis: register throughput with the default configuration (no
// indexes) and with four indexed paths, heartbeat throughput, enumerate latency for a selective
// (~1%) and a broad (~50%) filter (first page and full walk), multicast target resolution (a full
// walk of identities only), and the prototype's naive strategy (fetch every identity and filter
// in Node) side by side. While our walks run, a child process PINGs on its own connection (its
// waits are printed) and SLOWLOG records every call over 1 ms (the slowest is printed); then the
// same PING loop runs as long again against the idle server, the machine's own noise floor.
//
//   pnpm --filter @muster/redis bench                                  # 10k and 100k
//   pnpm --filter @muster/redis bench -- --sizes 10000,100000,1000000  # the full run
//   --writers 2   also register the fleet from that many writer processes at once (0: skip)
// A warm-up of 20,000 registrations into a throwaway namespace runs first.
import { execFileSync, fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { compile, parse } from '@muster/filter';
import { Redis } from 'ioredis';
import { percentile } from '../../../tooling/bench/percentile.mjs';
import { runPool } from '../../../tooling/bench/run-pool.mjs';
import { walkCount } from '../../../tooling/bench/walk-count.mjs';
import { createRedisRegistry } from '../dist/index.js';
import { iotFleet } from './iot-fleet.mjs';
import { registerFleet } from './register-fleet.mjs';
import { unlinkKeys } from './unlink-keys.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : argv[i + 1];
};
const SIZES = option('sizes', '10000,100000').split(',').map(Number);
const CONCURRENCY = Number(option('concurrency', '256'));
const URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `muster-bench-${process.pid}`;

const WRITERS = Number(option('writers', '2'));
const SELECTIVE = parse('device_type == "camera" and location.city == "city-7"'); // 1/5 * 1/20
const BROAD = parse('battery_level < 0.5'); // ~50%, wider than any candidate set: a full walk
const INDEXED = [['device_type'], ['location', 'city'], ['status'], ['battery_level']];

async function timed(fn) {
  const start = performance.now();
  const result = await fn();
  return [performance.now() - start, result];
}

/** Whether the PING watchers run at real-time priority (set by each watcher started). */
let pingPriority = 'normal';

/**
 * Starts a PING loop in a child process (its own connection and event loop) and returns a
 * function that stops it and resolves to a summary of its waits. Where allowed (root on Linux),
 * the child gets real-time priority: on 2 cores shared with Redis and this process, it would
 * otherwise measure its own wait for a CPU along with the server's.
 */
async function pingWatcher() {
  const child = fork(new globalThis.URL('./ping-watcher.mjs', import.meta.url), {
    stdio: 'inherit',
  });
  await new Promise((resolve) => child.once('message', resolve));
  try {
    execFileSync('chrt', ['-f', '-p', '10', String(child.pid)], { stdio: 'ignore' });
    pingPriority = 'real-time (chrt -f 10)';
  } catch {
    pingPriority = 'normal';
  }
  return () =>
    new Promise((resolve) => {
      child.once('message', resolve);
      child.send('stop');
    });
}

/** Registers the fleet from WRITERS child processes, each a slice; ms from 'go' to the last 'done'. */
async function registerFromWriters(namespace, size) {
  const children = Array.from({ length: WRITERS }, (_, w) =>
    fork(new globalThis.URL('./register-writer.mjs', import.meta.url), [
      URL,
      PREFIX,
      namespace,
      String(size),
      String(Math.floor((w * size) / WRITERS)),
      String(Math.floor(((w + 1) * size) / WRITERS)),
      String(CONCURRENCY),
    ]),
  );
  await Promise.all(
    children.map((child) => new Promise((resolve) => child.once('message', resolve))),
  );
  const started = performance.now();
  const done = children.map((child) => new Promise((resolve) => child.once('message', resolve)));
  for (const child of children) child.send('go');
  await Promise.all(done);
  return performance.now() - started;
}

/** The longest command SLOWLOG recorded (slower than 1 ms) since the last reset, as `ms command`. */
async function slowest(client) {
  // Every entry kept (slowlog-max-len is 10,000 while the bench runs): the walks log thousands
  // of calls just over 1 ms, and the 1,000 newest alone missed slower ones logged earlier.
  const entries = await client.slowlog('GET', 10_000);
  let worst;
  for (const [, , micros, args] of entries) {
    const command = String(args[0]).toLowerCase();
    if (command === 'slowlog' || command === 'config') continue;
    if (worst === undefined || micros > worst[0]) worst = [micros, command];
  }
  return worst === undefined ? '< 1' : `${(worst[0] / 1000).toFixed(1)} ${worst[1]}`;
}

/** The prototype's strategy: fetch every record to the client (HSCAN chunks) and filter here. */
async function naive(client, recordsKey, filter, now) {
  const matches = compile(filter);
  let cursor = '0';
  let count = 0;
  do {
    // COUNT 100: larger steps hold the server for milliseconds at a time.
    const [next, flat] = await client.hscan(recordsKey, cursor, 'COUNT', 100);
    cursor = next;
    for (let i = 0; i < flat.length; i += 2) {
      const raw = flat[i + 1];
      const bar = raw.indexOf('|');
      const expires = raw.slice(raw.lastIndexOf(',', bar) + 1, bar);
      if (expires !== '' && Number(expires) <= now) continue;
      if (matches(JSON.parse(raw.slice(bar + 1)))) count++;
    }
  } while (cursor !== '0');
  return count;
}

const rows = [];
const admin = new Redis(URL);
// SLOWLOG keeps every call over 1 ms while the benchmark runs (restored at the end).
const [, slowlogBefore] = await admin.config('GET', 'slowlog-log-slower-than');
const [, slowlogLengthBefore] = await admin.config('GET', 'slowlog-max-len');
await admin.config('SET', 'slowlog-log-slower-than', '1000', 'slowlog-max-len', '10000');
{
  // Warm-up (JIT): the first registrations of a process run unoptimised code; a running server
  // is past that. 20,000 puts into a throwaway namespace, dropped before the first size.
  const registry = createRedisRegistry({ url: URL, keyPrefix: PREFIX });
  const warm = iotFleet(20_000);
  await registerFleet(registry, 'bench-warm-up', warm, { to: 20_000, concurrency: CONCURRENCY });
  await registry.close();
  await dropNamespace(admin);
}
for (const size of SIZES) {
  const registry = createRedisRegistry({ url: URL, keyPrefix: PREFIX });
  const namespace = `bench-${size}`;
  const now = Date.now();
  const loadBefore = loadavg()[0];
  const { fleet, ids } = iotFleet(size);

  const register = (target) =>
    timed(() =>
      registerFleet(registry, target, { fleet, ids }, { to: size, concurrency: CONCURRENCY }),
    );
  // The default configuration indexes nothing: its register rate first, in a namespace of its
  // own (dropped before the indexed run, so both start from an empty server).
  const [plainRegisterMs] = await register(`${namespace}-plain`);
  await dropNamespace(admin);
  // The same registrations from several processes at once, as several coordinators (server
  // instances) on one Redis would make them: the rate Redis sustains when one Node process is
  // not the limit.
  const writersMs = WRITERS > 0 ? await registerFromWriters(`${namespace}-writers`, size) : 0;
  await dropNamespace(admin);
  await registry.ensureIndexes(namespace, INDEXED);
  const [registerMs] = await register(namespace);
  const [heartbeatMs] = await timed(() =>
    runPool(Math.ceil(size / 1000), 8, (b) =>
      registry.touchMany(
        namespace,
        ids
          .slice(b * 1000, (b + 1) * 1000)
          .map((identity) => ({ identity, expiresAt: now + 7_200_000 })),
        now,
      ),
    ),
  );

  const firstPage = async (filter) => {
    const samples = [];
    for (let i = 0; i < 30; i++) {
      const [ms] = await timed(() => walkFirst(registry, namespace, filter, now));
      samples.push(ms);
    }
    return samples.sort((a, b) => a - b);
  };
  const selectivePage = await firstPage(SELECTIVE);
  const broadPage = await firstPage(BROAD);

  // Only our walks are measured: the naive scan below is the baseline.
  await admin.slowlog('RESET');
  const stopPing = await pingWatcher();
  const [selectiveWalkMs, selectiveCount] = await timed(() =>
    walkCount(registry, namespace, SELECTIVE, { limit: 1000, includeMetadata: false, now }),
  );
  const [broadWalkMs, broadCount] = await timed(() =>
    walkCount(registry, namespace, BROAD, { limit: 1000, includeMetadata: false, now }),
  );
  const walkPing = await stopPing();
  const slowestCall = await slowest(admin);
  // The control: the same PING loop for as long, with the server idle. What it sees is the
  // machine's (a VM's pauses, other processes), not a call of ours.
  const stopIdlePing = await pingWatcher();
  await new Promise((resolve) => setTimeout(resolve, selectiveWalkMs + broadWalkMs));
  const idlePing = await stopIdlePing();
  const recordsKey = `{${PREFIX}:${namespace}}:records`;
  const [naiveMs, naiveCount] = await timed(() => naive(admin, recordsKey, SELECTIVE, now));
  if (naiveCount !== selectiveCount) throw new Error(`naive ${naiveCount} != ${selectiveCount}`);

  rows.push({
    identities: size,
    'register ops/s (no index)': Math.round(size / (plainRegisterMs / 1000)),
    ...(WRITERS > 0
      ? {
          [`register ops/s (no index, ${WRITERS} processes)`]: Math.round(
            size / (writersMs / 1000),
          ),
        }
      : {}),
    'register ops/s (4 indexed)': Math.round(size / (registerMs / 1000)),
    'heartbeat ops/s': Math.round(size / (heartbeatMs / 1000)),
    'selective page p50/p99 ms': `${percentile(selectivePage, 50).toFixed(2)} / ${percentile(selectivePage, 99).toFixed(2)}`,
    'broad page p50/p99 ms': `${percentile(broadPage, 50).toFixed(2)} / ${percentile(broadPage, 99).toFixed(2)}`,
    'multicast selective walk ms': `${selectiveWalkMs.toFixed(1)} (${selectiveCount})`,
    'broad walk ms': `${broadWalkMs.toFixed(0)} (${broadCount})`,
    'naive scan ms': naiveMs.toFixed(0),
    'naive / first page': `${(naiveMs / percentile(selectivePage, 50)).toFixed(0)}x`,
    'naive / selective walk': `${(naiveMs / selectiveWalkMs).toFixed(1)}x`,
    'PING wait during walks ms, max / p99.9 / over 10 ms': pingCell(walkPing),
    'PING wait, idle server, as long, ms': pingCell(idlePing),
    'slowest call ms': slowestCall,
    'load avg': `${loadBefore.toFixed(1)} / ${loadavg()[0].toFixed(1)}`,
  });
  console.log(rows[rows.length - 1]);
  await registry.close();
  await dropNamespace(admin);
}
await admin.config(
  'SET',
  'slowlog-log-slower-than',
  slowlogBefore,
  'slowlog-max-len',
  slowlogLengthBefore,
);
admin.disconnect();

function pingCell({ longest, p999, over10, pings }) {
  return `${longest.toFixed(1)} / ${p999.toFixed(1)} / ${over10} of ${pings}`;
}

async function walkFirst(registry, namespace, filter, now) {
  const page = await registry.enumerate(
    namespace,
    { filter, limit: 100, sort: [], includeMetadata: true, totalCount: false },
    now,
  );
  return page.items.length;
}

async function dropNamespace(client) {
  await unlinkKeys(client, `{${PREFIX}*`);
}

const columns = Object.keys(rows[0]);
console.log(
  `\nNode ${process.version}, Redis at ${URL}, concurrency ${CONCURRENCY}, PING watcher priority ${pingPriority}\n`,
);
console.log(`| ${columns.join(' | ')} |`);
console.log(`|${columns.map(() => '---:').join('|')}|`);
for (const row of rows) console.log(`| ${columns.map((c) => row[c]).join(' | ')} |`);
