import type { Redis } from 'ioredis';
import { defineScripts, type RunScript } from './define-scripts.js';

/**
 * Sets the key's expiry to `at` (epoch ms, server clock) unless it already lives longer: a
 * report's data is never cut short by a later, shorter deadline. PEXPIRETIME is -1 for a key
 * without expiry (one this call just created).
 */
const EXTEND = `
local function extend(key, at)
  local current = redis.call('PEXPIRETIME', key)
  if current == -1 or current < at then
    redis.call('PEXPIREAT', key, string.format('%d', at))
  end
end
`;

/**
 * Stores (or replaces) a report in its hash, keeping the marks already there, in one call
 * without reading first. KEYS: the report hash. ARGV: body, expiresAt (caller's clock, stored
 * for the comparison on load), the key's expiry (expiresAt plus a grace, integer ms).
 */
const SAVE = `${EXTEND}
redis.call('HSET', KEYS[1], 'b', ARGV[1], 'e', ARGV[2])
extend(KEYS[1], tonumber(ARGV[3]))
return 0
`;

/**
 * Records delivery marks, for any number of reports. KEYS: one report hash per multicast.
 * ARGV: now (caller's clock), grace (ms), then per key: mark count n and n pairs (identity,
 * expiresAt). A saved report that is still live takes every mark; an expired one takes none;
 * with no report yet a mark waits in the hash (as `m:<identity>`) unless it has expired, the
 * hash living at least until the mark's expiresAt plus the grace.
 */
const MARK = `${EXTEND}
local now = tonumber(ARGV[1])
local grace = tonumber(ARGV[2])
local a = 3
for k = 1, #KEYS do
  local key = KEYS[k]
  local n = tonumber(ARGV[a])
  a = a + 1
  local saved = redis.call('HGET', key, 'e')
  local live = saved and now < tonumber(saved)
  local latest = false
  for i = a, a + n * 2 - 1, 2 do
    local expiresAt = tonumber(ARGV[i + 1])
    if live or (not saved and now < expiresAt) then
      redis.call('HSET', key, 'm:' .. ARGV[i], '')
      if not latest or expiresAt > latest then latest = expiresAt end
    end
  end
  if latest then extend(key, math.ceil(latest) + grace) end
  a = a + n * 2
end
return 0
`;

const SCRIPTS = {
  musterReportSave: SAVE,
  musterReportMark: MARK,
} as const;

export type ReportScript = keyof typeof SCRIPTS;

/** Runs one of the fixed report scripts. */
export type RunReportScript = RunScript<ReportScript>;

/** Defines the report scripts on a client and returns their runner. */
export function reportScripts(client: Redis): RunReportScript {
  return defineScripts(client, SCRIPTS);
}
