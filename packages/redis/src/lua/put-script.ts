import { RECORD_LUA } from './record-lua.js';
import { WRITE_BATCH_LUA } from './write-batch-lua.js';

/**
 * Creates or replaces records with their index entries and change events, atomically, several
 * per call (concurrent puts to a namespace are batched: one script call amortises its overhead).
 * The records are read with one HMGET and the writes are gathered and applied per key at the
 * end (one HSET, one ZADD per zset, one XADD holding every event), because each `redis.call`
 * costs several microseconds whatever it does.
 *
 * KEYS: 1 records hash, 2 members zset, 3 expiry zset, 4 events stream, 5 index config hash,
 * then per record its old index keys and its new index keys.
 * ARGV: 1 record count, 2 index config version, 3 events max length, 4 a MessagePack array of
 * the records' fields, per record: identity, mode, quota ('' for none), now, registeredAt,
 * updatedAt, expiresAt ('' for none), metadata, SHA1 of the stored record the caller computed
 * the old keys from ('' none, '*' not checked), old key count o, new key count n, o members, n
 * score and member pairs (the counts as numbers, everything else as strings).
 *
 * Replies `{'stale'}` when the index config changed (the caller reloads it and retries), else
 * three strings per record: 'ok' with registeredAt and the replaced live record (or ''),
 * 'exists', 'quota' with the live count, or 'conflict' (the record changed since the caller
 * read it: retry that one).
 */
export const PUT_SCRIPT = `${RECORD_LUA}
${WRITE_BATCH_LUA}
if (redis.call('HGET', KEYS[5], 'v') or '0') ~= ARGV[2] then return {'stale'} end
local count = tonumber(ARGV[1])
local V = cmsgpack.unpack(ARGV[4])
local out = {}
local function reply(status, x, y)
  out[#out + 1] = status
  out[#out + 1] = x or ''
  out[#out + 1] = y or ''
end
-- Every stored record of the batch in one read; 'written' holds what this call stored since.
local ids = {}
do
  local a = 1
  for r = 1, count do
    ids[r] = V[a]
    a = a + 11 + V[a + 9] + 2 * V[a + 10]
  end
end
local stored_before = redis.call('HMGET', KEYS[1], unpack(ids))
local written = {}
local batch = write_batch(KEYS, ARGV[3])
local a, k = 1, 6
for r = 1, count do
  local id, mode, quota, at = V[a], V[a + 1], V[a + 2], V[a + 3]
  local now = tonumber(at)
  local expires, metadata, sha = V[a + 6], V[a + 7], V[a + 8]
  local old, new = V[a + 9], V[a + 10]
  local registered, updated = V[a + 4], V[a + 5]
  local m = a + 11
  a = m + old + 2 * new
  local raw = written[id]
  if raw == nil then raw = stored_before[r] end
  local live = raw and is_live(raw, now)
  if live and mode == 'create' then
    -- Nothing is written, whatever record the caller expected.
    reply('exists')
  elseif sha ~= '*' and (raw and redis.sha1hex(raw) or '') ~= sha then
    reply('conflict')
  else
    local full = false
    if not live and quota ~= '' then
      -- The live count needs this call's writes applied first.
      batch.flush()
      local n = redis.call('ZCARD', KEYS[2]) - redis.call('ZCOUNT', KEYS[3], '-inf', now)
      if n >= tonumber(quota) then
        full = true
        reply('quota', tostring(n))
      end
    end
    if not full then
      if live then
        local c1 = find(raw, ',', 1, true)
        registered, updated = sub(raw, 1, c1 - 1), at
      end
      local stored = registered .. ',' .. updated .. ',' .. expires .. '|' .. metadata
      for i = 0, old - 1 do batch.zrem(k + i, V[m + i]) end
      for i = 0, new - 1 do
        local p = m + old + 2 * i
        batch.zadd(k + old + i, V[p], V[p + 1])
      end
      batch.store(id, stored, expires)
      written[id] = stored
      if raw and not live then
        -- Overwriting an expired record no sweep removed yet: reported here, exactly once.
        batch.event('expired', id, nil, raw, at)
      end
      if live then
        batch.event('updated', id, stored, raw, at)
        reply('ok', registered, raw)
      else
        batch.event('registered', id, stored, nil, at)
        reply('ok', registered)
      end
    end
  end
  k = k + old + new
end
batch.flush()
return out
`;
