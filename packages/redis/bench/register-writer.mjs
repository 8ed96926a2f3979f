// One writer process of the multi-process register measurement (forked by registry.bench.mjs):
// its own registry and connection, as one more coordinator instance on the same Redis would
// have. It builds the fleet, warms up, says 'ready', registers its slice when told 'go', says
// 'done'.
import { createRedisRegistry } from '../dist/index.js';
import { iotFleet } from './iot-fleet.mjs';
import { registerFleet } from './register-fleet.mjs';

/** Puts each writer makes before it says 'ready'. */
const WARM_UP = 10_000;

const [url, keyPrefix, namespace, size, start, end, concurrency] = process.argv.slice(2);
const { fleet, ids } = iotFleet(Number(size));
const registry = createRedisRegistry({ url, keyPrefix });
// Warm-up (JIT), as the benchmark's own process has: a running server is past it. Its throwaway
// namespace shares the key prefix, so the benchmark drops it with the rest.
const warmUp = iotFleet(WARM_UP);
await registerFleet(registry, `${namespace}-warm-up-${process.pid}`, warmUp, {
  to: WARM_UP,
  concurrency: Number(concurrency),
});
process.send('ready');
process.once('message', async () => {
  await registerFleet(
    registry,
    namespace,
    { fleet, ids },
    { from: Number(start), to: Number(end), concurrency: Number(concurrency) },
  );
  await registry.close();
  process.send('done', () => process.exit(0));
});
