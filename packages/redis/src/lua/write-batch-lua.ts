/**
 * Lua helper of the batched write scripts: gathers a call's writes and applies them per key
 * (one HSET for the records, one ZADD per zset, one XADD holding every event) instead of one
 * `redis.call` per record and key, which is what a write's cost was made of.
 *
 * `write_batch(KEYS, maxlen)` expects KEYS 1 records hash, 2 members zset, 3 expiry zset,
 * 4 events stream. `store(id, stored, expires)` sets a record, adds it to members and sets
 * (or, for expires '', clears) its expiry; `zrem(k, member)` / `zadd(k, score, member)` queue
 * index changes on KEYS[k]; `event(t, id, r, p, at)` queues one change event (r, p may be nil); `flush()` applies
 * everything queued: removals before additions, so a record whose entry stays under a key keeps
 * it. A stream entry holds the events of one flush in its field `m`: a MessagePack array of five
 * values per event (type, identity, record or false, previous or false, at), packed in C by
 * cmsgpack (building one string per event in Lua cost more than the record writes); the stream
 * is trimmed to about `maxlen` events (maxlen divided by the events per entry).
 */
export const WRITE_BATCH_LUA = `
local unpack = unpack
local function call_sliced(command, key, args)
  -- Lua's C stack bounds unpack: send long argument lists in slices (pairs stay whole).
  local n = #args
  for first = 1, n, 2000 do
    redis.call(command, key, unpack(args, first, math.min(n, first + 1999)))
  end
end
local function write_batch(keys, maxlen)
  local records, expiries, members, removals, additions, events = {}, {}, {}, {}, {}, {}
  local count = 0
  local batch = {}
  local function list_of(groups, key)
    local list = groups[key]
    if not list then
      list = {}
      groups[key] = list
    end
    return list
  end
  function batch.store(id, stored, expires)
    if records[id] == nil then members[#members + 1] = id end
    records[id] = stored
    expiries[id] = expires
  end
  function batch.zrem(k, member)
    local list = list_of(removals, keys[k])
    list[#list + 1] = member
  end
  function batch.zadd(k, score, member)
    local list = list_of(additions, keys[k])
    list[#list + 1] = score
    list[#list + 1] = member
  end
  function batch.event(t, id, r, p, at)
    local n = count * 5
    events[n + 1] = t
    events[n + 2] = id
    events[n + 3] = r or false
    events[n + 4] = p or false
    events[n + 5] = at
    count = count + 1
  end
  function batch.flush()
    for key, list in pairs(removals) do call_sliced('ZREM', key, list) end
    for key, list in pairs(additions) do call_sliced('ZADD', key, list) end
    local hash, scored, members_args, cleared = {}, {}, {}, {}
    for id, stored in pairs(records) do
      hash[#hash + 1] = id
      hash[#hash + 1] = stored
      local expires = expiries[id]
      if expires == '' then cleared[#cleared + 1] = id else
        scored[#scored + 1] = expires
        scored[#scored + 1] = id
      end
    end
    for _, id in ipairs(members) do
      members_args[#members_args + 1] = 0
      members_args[#members_args + 1] = id
    end
    if #hash > 0 then call_sliced('HSET', keys[1], hash) end
    if #members_args > 0 then call_sliced('ZADD', keys[2], members_args) end
    if #scored > 0 then call_sliced('ZADD', keys[3], scored) end
    if #cleared > 0 then call_sliced('ZREM', keys[3], cleared) end
    if count > 0 then
      redis.call('XADD', keys[4], 'MAXLEN', '~', math.max(1, math.floor(tonumber(maxlen) / count)), '*', 'm', cmsgpack.pack(events))
    end
    records, expiries, members, removals, additions, events = {}, {}, {}, {}, {}, {}
    count = 0
  end
  return batch
end
`;
