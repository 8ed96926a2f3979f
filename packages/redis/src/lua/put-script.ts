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
 * then every index key the batch's entries name (each once).
 * ARGV: 1 record count, 2 index config version, 3 events max length, 4 a MessagePack array of
 * the records' fields, per record: identity, mode, quota ('' for none), now, the record as
 * stored when nothing live is replaced (`registeredAt,updatedAt,expiresAt|metadata`), its
 * expiresAt ('' for none), SHA1 of the stored record the caller computed the old keys from
 * ('' none, '*' not checked), old entry count o, new entry count n, o entries to remove (KEYS
 * position, member), n entries to add (KEYS position, score, member); the counts and positions
 * as numbers, everything else as strings (see put-fields.ts).
 *
 * Replies `{'stale'}` when the index config changed (the caller reloads it and retries), else a
 * string of one status letter per record followed by the values some statuses carry, in record
 * order: 'n' new (nothing live was replaced), 'u' updated (the replaced live record follows),
 * 'e' exists, 'q' quota (the live count follows), 'c' conflict (the record changed since the
 * caller read it: retry that one). A burst of new registrations is answered with one short
 * string rather than three values per record, which Redis and the client each paid for, and
 * its events entry is ARGV 4 with that string (see write_batch's flush).
 */
export const PUT_SCRIPT = `${RECORD_LUA}
${WRITE_BATCH_LUA}
if (redis.call('HGET', KEYS[5], 'v') or '0') ~= ARGV[2] then return {'stale'} end
local count = tonumber(ARGV[1])
local V = cmsgpack.unpack(ARGV[4])
local status, out = {}, {''}
-- Every stored record of the batch in one read; 'written' holds what this call stored since.
local ids = {}
do
  local a = 1
  for r = 1, count do
    ids[r] = V[a]
    a = a + 9 + 2 * V[a + 7] + 3 * V[a + 8]
  end
end
local stored_before = redis.call('HMGET', KEYS[1], unpack(ids))
local written = {}
local batch = write_batch(KEYS, ARGV[3])
local store, event, zadd, zrem = batch.store, batch.event, batch.zadd, batch.zrem
local a = 1
for r = 1, count do
  local id, mode, quota, at = V[a], V[a + 1], V[a + 2], V[a + 3]
  local stored, expires, sha = V[a + 4], V[a + 5], V[a + 6]
  local old, new = V[a + 7], V[a + 8]
  local m = a + 9
  a = m + 2 * old + 3 * new
  local raw = written[id]
  local again = raw ~= nil
  if not again then raw = stored_before[r] end
  local live = raw and is_live(raw, tonumber(at))
  if live and mode == 'create' then
    -- Nothing is written, whatever record the caller expected.
    status[r] = 'e'
  elseif sha ~= '*' and (raw and redis.sha1hex(raw) or '') ~= sha then
    status[r] = 'c'
  else
    local full = false
    if not live and quota ~= '' then
      -- The live count needs this call's writes applied first.
      batch.flush()
      local n = redis.call('ZCARD', KEYS[2]) - redis.call('ZCOUNT', KEYS[3], '-inf', tonumber(at))
      if n >= tonumber(quota) then
        full = true
        status[r] = 'q'
        out[#out + 1] = tostring(n)
      end
    end
    if not full then
      -- The same identity twice: the first write is applied before this one is queued.
      if again then batch.flush() end
      if live then
        -- A replace keeps registeredAt and takes now as updatedAt.
        -- (find in parentheses: one value, not its start and end.)
        stored = sub(raw, 1, (find(raw, ',', 1, true))) .. at .. ',' .. expires .. sub(stored, (find(stored, '|', 1, true)))
      end
      for p = m, m + 2 * old - 1, 2 do zrem(V[p], V[p + 1]) end
      for p = m + 2 * old, a - 1, 3 do zadd(V[p], V[p + 1], V[p + 2]) end
      store(id, stored, expires)
      written[id] = stored
      if raw and not live then
        -- Overwriting an expired record no sweep removed yet: reported here, exactly once.
        event('expired', id, nil, raw, at)
      end
      if live then
        event('updated', id, stored, raw, at)
        status[r] = 'u'
        out[#out + 1] = raw
      else
        event('registered', id, stored, nil, at)
        status[r] = 'n'
      end
    end
  end
end
out[1] = table.concat(status)
batch.flush(ARGV[4], out[1])
return out
`;
