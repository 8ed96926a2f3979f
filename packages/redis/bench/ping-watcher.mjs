// Child process of the benchmark: PINGs Redis on its own connection every 2 ms and, when told
// to stop, reports how long the PINGs waited (longest, p99.9, how many over 10 ms). A
// process of its own, so the benchmark's event loop (JSON decoding, GC) never delays a PING
// reply and only the server's blocking is measured.
import { Redis } from 'ioredis';
import { percentile } from '../../../tooling/bench/percentile.mjs';

const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const waits = [];
let running = true;
process.on('message', () => {
  running = false;
});
await client.ping();
process.send?.('ready');
while (running) {
  const start = performance.now();
  await client.ping();
  waits.push(performance.now() - start);
  await new Promise((resolve) => setTimeout(resolve, 2));
}
waits.sort((a, b) => a - b);
const summary = {
  pings: waits.length,
  longest: waits.at(-1) ?? 0,
  p999: percentile(waits, 99.9),
  over10: waits.filter((ms) => ms > 10).length,
};
process.send?.(summary, () => {
  client.disconnect();
  process.exit(0);
});
