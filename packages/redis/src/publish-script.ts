import type { Redis, RedisValue } from 'ioredis';

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

const NAME = 'musterPublishBatch';

type ScriptCommand = (numberOfKeys: number, ...args: RedisValue[]) => Promise<unknown>;

/** Defines the script on a client (EVALSHA, EVAL on NOSCRIPT) and returns its runner. */
export function publishBatchScript(client: Redis): (args: RedisValue[]) => Promise<number[]> {
  const commands = client as unknown as Record<string, ScriptCommand | undefined>;
  if (typeof commands[NAME] !== 'function') client.defineCommand(NAME, { lua: PUBLISH_BATCH });
  const command = commands[NAME] as ScriptCommand;
  return (args) => command.call(client, 0, ...args) as Promise<number[]>;
}
