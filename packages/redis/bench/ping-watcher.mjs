// Child process of the benchmark: PINGs Redis on its own connection every 2 ms and, when told
// to stop, reports the longest wait. A process of its own, so the benchmark's event loop (JSON
// decoding, GC) never delays a PING reply and only the server's blocking is measured.
import { Redis } from 'ioredis';

const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
let longest = 0;
let running = true;
process.on('message', () => {
  running = false;
});
await client.ping();
process.send?.('ready');
while (running) {
  const start = performance.now();
  await client.ping();
  longest = Math.max(longest, performance.now() - start);
  await new Promise((resolve) => setTimeout(resolve, 2));
}
process.send?.(longest, () => {
  client.disconnect();
  process.exit(0);
});
