import { RECORD_LUA } from './record-lua.js';

/**
 * Creates or replaces records with their index entries and change events, atomically, several
 * per call (concurrent puts to a namespace are batched: one script call amortises its overhead).
 *
 * KEYS: 1 records hash, 2 members zset, 3 expiry zset, 4 events stream, 5 index config hash,
 * then per record its old index keys and its new index keys.
 * ARGV: 1 record count, 2 index config version, 3 events max length, then per record:
 * identity, mode, quota ('' for none), now, registeredAt, updatedAt, expiresAt ('' for none),
 * metadata, SHA1 of the stored record the caller computed the old keys from ('' none, '*' not
 * checked), old key count o, new key count n, o members, n score and member pairs.
 *
 * Replies `{'stale'}` when the index config changed (the caller reloads it and retries), else
 * three strings per record: 'ok' with registeredAt and the replaced live record (or ''),
 * 'exists', 'quota' with the live count, or 'conflict' (the record changed since the caller
 * read it: retry that one).
 */
export const PUT_SCRIPT = `${RECORD_LUA}
if (redis.call('HGET', KEYS[5], 'v') or '0') ~= ARGV[2] then return {'stale'} end
local maxlen = ARGV[3]
local out = {}
local a, k = 4, 6
local function reply(status, x, y)
  out[#out + 1] = status
  out[#out + 1] = x or ''
  out[#out + 1] = y or ''
end
for _ = 1, tonumber(ARGV[1]) do
  local id, mode, quota, at = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]
  local now = tonumber(at)
  local expires, metadata, sha = ARGV[a + 6], ARGV[a + 7], ARGV[a + 8]
  local old, new = tonumber(ARGV[a + 9]), tonumber(ARGV[a + 10])
  local registered, updated = ARGV[a + 4], ARGV[a + 5]
  local m = a + 11
  a = m + old + 2 * new
  local raw = redis.call('HGET', KEYS[1], id)
  local live = raw and is_live(raw, now)
  if sha ~= '*' and (raw and redis.sha1hex(raw) or '') ~= sha then
    reply('conflict')
  elseif live and mode == 'create' then
    reply('exists')
  elseif not live and quota ~= '' and
      redis.call('ZCARD', KEYS[2]) - redis.call('ZCOUNT', KEYS[3], '-inf', now) >= tonumber(quota) then
    reply('quota', tostring(redis.call('ZCARD', KEYS[2]) - redis.call('ZCOUNT', KEYS[3], '-inf', now)))
  else
    if live then
      local c1 = find(raw, ',', 1, true)
      registered, updated = sub(raw, 1, c1 - 1), at
    end
    local stored = registered .. ',' .. updated .. ',' .. expires .. '|' .. metadata
    for i = 0, old - 1 do redis.call('ZREM', KEYS[k + i], ARGV[m + i]) end
    for i = 0, new - 1 do
      local p = m + old + 2 * i
      redis.call('ZADD', KEYS[k + old + i], ARGV[p], ARGV[p + 1])
    end
    redis.call('HSET', KEYS[1], id, stored)
    redis.call('ZADD', KEYS[2], 0, id)
    if expires == '' then redis.call('ZREM', KEYS[3], id) else redis.call('ZADD', KEYS[3], expires, id) end
    if raw and not live then
      -- Overwriting an expired record no sweep removed yet: reported here, exactly once.
      redis.call('XADD', KEYS[4], 'MAXLEN', '~', maxlen, '*', 't', 'expired', 'i', id, 'p', raw, 'at', at)
    end
    if live then
      redis.call('XADD', KEYS[4], 'MAXLEN', '~', maxlen, '*', 't', 'updated', 'i', id, 'r', stored, 'p', raw, 'at', at)
      reply('ok', registered, raw)
    else
      redis.call('XADD', KEYS[4], 'MAXLEN', '~', maxlen, '*', 't', 'registered', 'i', id, 'r', stored, 'at', at)
      reply('ok', registered)
    end
  end
  k = k + old + new
end
return out
`;
