import type { Redis } from 'ioredis';
import { defineScripts, type RunScript } from './define-scripts.js';

/**
 * Appends a batch to many identities' streams atomically. KEYS: sequence counter, oldest zset,
 * then the batch's distinct streams. ARGV: maxLength (-1: none), envelope count n, then per
 * envelope (stream index into KEYS after the first two, createdAt, body), then per distinct
 * identity (identity, its oldest createdAt in the batch, its ready channel). Sequences come from
 * one INCRBY, so they are increasing per stream (explicit ids `0-<sequence>`) and never reused;
 * the ready channels are published after every entry is stored. Returns the first sequence.
 */
const ENQUEUE = `
local n = tonumber(ARGV[2])
local last = redis.call('INCRBY', KEYS[1], n)
local first = last - n + 1
local maxLength = tonumber(ARGV[1])
for i = 0, n - 1 do
  local a = 3 + i * 3
  local key = KEYS[2 + tonumber(ARGV[a])]
  local id = string.format('0-%d', first + i)
  if maxLength >= 0 then
    redis.call('XADD', key, 'MAXLEN', maxLength, id, 'c', ARGV[a + 1], 'e', ARGV[a + 2])
  else
    redis.call('XADD', key, id, 'c', ARGV[a + 1], 'e', ARGV[a + 2])
  end
end
for j = 3 + n * 3, #ARGV, 3 do
  redis.call('ZADD', KEYS[2], 'LT', ARGV[j + 1], ARGV[j])
  redis.call('PUBLISH', ARGV[j + 2], '')
end
return first
`;

/**
 * Acks: deletes the entries from the identity's stream (only its own: another identity's
 * sequence is simply not there), and the stream itself once empty. KEYS: stream, oldest zset.
 * ARGV: identity, then entry ids. Deleting what is already gone is a no-op.
 */
const ACK = `
for i = 2, #ARGV, 1000 do
  redis.call('XDEL', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
if redis.call('XLEN', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
end
return 0
`;

/** Drops an identity's queue. KEYS: stream, oldest zset. ARGV: identity. */
const PURGE = `
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 0
`;

/**
 * Age retention for one identity: deletes every entry created before ARGV[2] (the whole stream
 * is walked in pages, so out-of-order createdAt values are found too), then records the oldest
 * createdAt left (or drops the empty stream). KEYS: stream, oldest zset. ARGV: identity, minimum.
 */
const TRIM = `
local min = tonumber(ARGV[2])
local lowest = false
local start = '-'
while true do
  local entries = redis.call('XRANGE', KEYS[1], start, '+', 'COUNT', 256)
  for _, entry in ipairs(entries) do
    local createdAt = tonumber(entry[2][2])
    if createdAt < min then
      redis.call('XDEL', KEYS[1], entry[1])
    elseif not lowest or createdAt < lowest then
      lowest = createdAt
    end
  end
  if #entries < 256 then break end
  start = '(' .. entries[#entries][1]
end
if lowest then
  redis.call('ZADD', KEYS[2], lowest, ARGV[1])
else
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
end
return 0
`;

const SCRIPTS = {
  musterQueueEnqueue: ENQUEUE,
  musterQueueAck: ACK,
  musterQueuePurge: PURGE,
  musterQueueTrim: TRIM,
} as const;

export type QueueScript = keyof typeof SCRIPTS;

/** Runs one of the fixed queue scripts. */
export type RunQueueScript = RunScript<QueueScript>;

/** Defines the queue scripts on a client and returns their runner. */
export function queueScripts(client: Redis): RunQueueScript {
  return defineScripts(client, SCRIPTS);
}
