import { RECORD_LUA } from './record-lua.js';

/**
 * Removes expired records the caller read (with the index keys it computed from them) and emits
 * `expired` for each, atomically. A record is removed only if it is still expired and unchanged,
 * so concurrent sweepers never report one twice.
 *
 * KEYS: 1 records hash, 2 members zset, 3 expiry zset, 4 events stream, 5 index config hash,
 * then every record's index keys, record after record.
 * ARGV: 1 now, 2 index config version, 3 events max length, 4 record count, then per record:
 * identity, SHA1 of the record read ('*' not checked), index key count k, and k members.
 * Replies identity and record pairs of what it removed, or `{'stale'}`.
 */
export const SWEEP_SCRIPT = `${RECORD_LUA}
local now = tonumber(ARGV[1])
if (redis.call('HGET', KEYS[5], 'v') or '0') ~= ARGV[2] then return {'stale'} end
local removed = {}
local a, k = 5, 6
for _ = 1, tonumber(ARGV[4]) do
  local id, sha, n = ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2])
  a = a + 3
  local score = redis.call('ZSCORE', KEYS[3], id)
  local raw = redis.call('HGET', KEYS[1], id)
  if not raw then
    redis.call('ZREM', KEYS[3], id)
  elseif score and tonumber(score) <= now and not is_live(raw, now) and (sha == '*' or redis.sha1hex(raw) == sha) then
    for i = 0, n - 1 do redis.call('ZREM', KEYS[k + i], ARGV[a + i]) end
    redis.call('HDEL', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
    redis.call('ZREM', KEYS[3], id)
    redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[3], '*', 't', 'expired', 'i', id, 'p', raw, 'at', ARGV[1])
    removed[#removed + 1] = id
    removed[#removed + 1] = raw
  end
  a = a + n
  k = k + n
end
return removed
`;
