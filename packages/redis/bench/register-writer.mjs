// One writer process of the multi-process register measurement (forked by registry.bench.mjs):
// its own registry and connection, as one more coordinator instance on the same Redis would
// have. It builds the fleet, says 'ready', registers its slice when told 'go', says 'done'.
import { createRedisRegistry } from '../dist/index.js';
import { iotFleet } from './iot-fleet.mjs';
import { registerFleet } from './register-fleet.mjs';

const [url, keyPrefix, namespace, size, start, end, concurrency] = process.argv.slice(2);
const { fleet, ids } = iotFleet(Number(size));
const registry = createRedisRegistry({ url, keyPrefix });
await registry.count(namespace, Date.now()); // connected before the clock starts
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
