import { RECORD_LUA } from './record-lua.js';

/**
 * Heartbeats: sets expiresAt of live records (the stored header and the expiry zset together).
 *
 * KEYS: 1 records hash, 2 expiry zset. ARGV: 1 now, then identity and expiresAt ('' for none)
 * pairs. Replies one string per pair: the updated record, or '' when it was not live.
 */
export const TOUCH_SCRIPT = `${RECORD_LUA}
local now = tonumber(ARGV[1])
local out = {}
for a = 2, #ARGV, 2 do
  local id, expires = ARGV[a], ARGV[a + 1]
  local raw = redis.call('HGET', KEYS[1], id)
  if raw and is_live(raw, now) then
    local _, bar, _, c2 = record_expiry(raw)
    local stored = sub(raw, 1, c2) .. expires .. sub(raw, bar)
    redis.call('HSET', KEYS[1], id, stored)
    if expires == '' then redis.call('ZREM', KEYS[2], id) else redis.call('ZADD', KEYS[2], expires, id) end
    out[#out + 1] = stored
  else
    out[#out + 1] = ''
  end
end
return out
`;
