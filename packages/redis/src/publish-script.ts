import type { Redis, RedisValue } from 'ioredis';
import { defineScripts } from './define-scripts.js';

/**
 * PUBLISHes a batch inside Redis: ARGV holds (channel, body) pairs; returns each PUBLISH's
 * receiver count, in order. One command per batch instead of one per envelope: the client builds,
 * sends and parses one command, which is where a large fan-out spends its time (the server's work
 * is the same). Channels are not keys, so KEYS is empty.
 */
const PUBLISH_BATCH = `
local counts = {}
for i = 1, #ARGV, 2 do
  counts[#counts + 1] = redis.call('PUBLISH', ARGV[i], ARGV[i + 1])
end
return counts
`;

/** Defines the script on a client and returns its runner: (channel, body) pairs in, counts out. */
export function publishBatchScript(client: Redis): (args: RedisValue[]) => Promise<number[]> {
  const run = defineScripts(client, { musterPublishBatch: PUBLISH_BATCH });
  return (args) => run('musterPublishBatch', [], args) as Promise<number[]>;
}
