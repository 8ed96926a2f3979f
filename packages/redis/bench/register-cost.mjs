// CPU cost of one registration, on both sides: registers the benchmark's IoT fleet (mode
// 'create', concurrency 256) into a fresh namespace and prints, per put, the Node process's CPU
// time (process.cpuUsage), the time Redis spent running the put script (INFO commandstats,
// reset before with CONFIG RESETSTAT) and the Redis server's whole CPU time (INFO cpu: command
// execution plus reading requests and writing replies). CPU time, not wall time, is what to
// compare between versions on a shared machine. Use a Redis nothing else talks to for clean
// server figures (CONFIG RESETSTAT also resets the statistics other clients see).
//
//   pnpm --filter @muster/redis build && node bench/register-cost.mjs --size 100000
//   --indexed       index the bench's four paths first     --rounds 3   repeat, print each
//   --batch 100     putBatchSize                           REDIS_URL    server (default 6379)
//   --commandstats  also print INFO commandstats (the commands the script ran, with their time)
// 2,000 puts of other identities warm the code up before the measured ones.
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { runPool } from '../../../tooling/bench/run-pool.mjs';
import { createRedisRegistry } from '../dist/index.js';
import { iotFleet } from './iot-fleet.mjs';
import { registerFleet } from './register-fleet.mjs';
import { unlinkKeys } from './unlink-keys.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : argv[i + 1];
};
const SIZE = Number(option('size', '100000'));
const ROUNDS = Number(option('rounds', '1'));
const CONCURRENCY = Number(option('concurrency', '256'));
const BATCH = option('batch', undefined);
const INDEXED = argv.includes('--indexed');
const URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `muster-cost-${process.pid}`;
const PATHS = [['device_type'], ['location', 'city'], ['status'], ['battery_level']];

const admin = new Redis(URL);
const { fleet, ids } = iotFleet(SIZE);

/** The server's CPU seconds so far (user + system, main thread and I/O). */
async function serverCpu() {
  const info = await admin.info('cpu');
  const user = Number(/used_cpu_user:([\d.]+)/.exec(info)[1]);
  const sys = Number(/used_cpu_sys:([\d.]+)/.exec(info)[1]);
  return user + sys;
}

/** calls and usec of every EVALSHA/EVAL since the last CONFIG RESETSTAT. */
async function scriptStats() {
  const info = await admin.info('commandstats');
  let calls = 0;
  let usec = 0;
  for (const match of info.matchAll(/cmdstat_(?:evalsha|eval):calls=(\d+),usec=(\d+)/g)) {
    calls += Number(match[1]);
    usec += Number(match[2]);
  }
  return { calls, usec };
}

async function dropOwnKeys() {
  await unlinkKeys(admin, `{${PREFIX}*`);
  await admin.del(`${PREFIX}:namespaces`);
}

for (let round = 0; round < ROUNDS; round++) {
  const registry = createRedisRegistry({
    url: URL,
    keyPrefix: PREFIX,
    ...(BATCH === undefined ? {} : { putBatchSize: Number(BATCH) }),
  });
  const namespace = `cost-${round}`;
  if (INDEXED) await registry.ensureIndexes(namespace, PATHS);
  await registry.count(namespace, Date.now()); // connected, scripts loaded, before the clock
  const now = Date.now();
  // Warm up the code paths on records outside the measured fleet.
  await runPool(2_000, CONCURRENCY, (i) =>
    registry.put(
      namespace,
      {
        identity: `warm-${i}`,
        metadata: fleet[i % SIZE],
        registeredAt: now,
        updatedAt: now,
        expiresAt: null,
      },
      { mode: 'create' },
      now,
    ),
  );
  const load = loadavg()[0];
  await admin.config('RESETSTAT');
  const serverBefore = await serverCpu();
  const nodeBefore = process.cpuUsage();
  const started = performance.now();
  await registerFleet(registry, namespace, { fleet, ids }, { to: SIZE, concurrency: CONCURRENCY });
  const ms = performance.now() - started;
  const node = process.cpuUsage(nodeBefore);
  const server = (await serverCpu()) - serverBefore;
  const scripts = await scriptStats();
  const perPut = (micros) => (micros / SIZE).toFixed(2);
  console.log(
    JSON.stringify({
      identities: SIZE,
      indexed: INDEXED,
      'ops/s': Math.round(SIZE / (ms / 1000)),
      'node µs/put': perPut(node.user + node.system),
      'redis script µs/put': perPut(scripts.usec),
      'redis cpu µs/put': perPut(server * 1e6),
      'script calls': scripts.calls,
      'load avg': `${load.toFixed(2)} / ${loadavg()[0].toFixed(2)}`,
    }),
  );
  if (argv.includes('--commandstats'))
    console.log((await admin.info('commandstats')).replace(/\r/g, '').trim());
  await registry.close();
  await dropOwnKeys();
}
admin.disconnect();
