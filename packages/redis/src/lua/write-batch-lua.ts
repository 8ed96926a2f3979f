/**
 * Lua helper of the batched write scripts: gathers a call's writes and applies them per key
 * (one HSET for the records, one ZADD per zset, one XADD holding every event) instead of one
 * `redis.call` per record and key, which is what a write's cost was made of.
 *
 * `write_batch(KEYS, maxlen)` expects KEYS 1 records hash, 2 members zset, 3 expiry zset,
 * 4 events stream. `store(id, stored, expires)` sets a record, adds it to members and sets
 * (or, for expires '', clears) its expiry; an identity is stored at most once between two
 * flushes (the caller flushes before storing one again: the argument lists are appended in
 * order, not merged per identity, which is cheaper for the batch of distinct identities a
 * registration burst is). `zrem(k, member)` / `zadd(k, score, member)` queue index changes on
 * KEYS[k]; `event(t, id, r, p, at)` queues one change event (r, p may be nil); `flush()` applies
 * everything queued: removals before additions, so a record whose entry stays under a key keeps
 * it. A stream entry holds the events of one flush in its field `m`: a MessagePack array of five
 * values per event (type, identity, record or false, previous or false, at), packed in C by
 * cmsgpack (building one string per event in Lua cost more than the record writes); the stream
 * is trimmed to about `maxlen` events (maxlen divided by the events per entry).
 *
 * `flush(fields, statuses)` may instead store the put script's own argument: when every event
 * of the call is a `registered` one and this flush holds them all (a burst of new
 * registrations), the entry is `f` (the put fields as the caller packed them) and `s` (the
 * status letters, 'n' for each record registered): nothing is packed, and the values cmsgpack
 * would have copied into a new Lua string (hashed whole by Redis's Lua) are not copied at all.
 */
export const WRITE_BATCH_LUA = `
local unpack = unpack
local function call_sliced(command, key, args, n)
  -- Lua's C stack bounds unpack: send long argument lists in slices (pairs stay whole).
  for first = 1, n, 2000 do
    redis.call(command, key, unpack(args, first, math.min(n, first + 1999)))
  end
end
local function write_batch(keys, maxlen)
  -- Argument lists with their lengths kept in locals (cheaper than the # operator per append).
  local hash, members, scored, cleared, events = {}, {}, {}, {}, {}
  local nh, nm, ns, nc, ne = 0, 0, 0, 0, 0
  local removals, additions = {}, {}
  local only_registered, flushed_events = true, false
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
    hash[nh + 1] = id
    hash[nh + 2] = stored
    nh = nh + 2
    -- The score as a string: a Lua number is formatted with snprintf for every argument.
    members[nm + 1] = '0'
    members[nm + 2] = id
    nm = nm + 2
    if expires == '' then
      nc = nc + 1
      cleared[nc] = id
    else
      scored[ns + 1] = expires
      scored[ns + 2] = id
      ns = ns + 2
    end
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
    if t ~= 'registered' then only_registered = false end
    events[ne + 1] = t
    events[ne + 2] = id
    events[ne + 3] = r or false
    events[ne + 4] = p or false
    events[ne + 5] = at
    ne = ne + 5
  end
  function batch.flush(fields, statuses)
    for key, list in pairs(removals) do call_sliced('ZREM', key, list, #list) end
    for key, list in pairs(additions) do call_sliced('ZADD', key, list, #list) end
    if nh > 0 then call_sliced('HSET', keys[1], hash, nh) end
    if nm > 0 then call_sliced('ZADD', keys[2], members, nm) end
    if ns > 0 then call_sliced('ZADD', keys[3], scored, ns) end
    if nc > 0 then call_sliced('ZREM', keys[3], cleared, nc) end
    if ne > 0 then
      local trim = math.max(1, math.floor(tonumber(maxlen) * 5 / ne))
      if fields and only_registered and not flushed_events then
        redis.call('XADD', keys[4], 'MAXLEN', '~', trim, '*', 'f', fields, 's', statuses)
      else
        redis.call('XADD', keys[4], 'MAXLEN', '~', trim, '*', 'm', cmsgpack.pack(events))
      end
      flushed_events = true
    end
    hash, members, scored, cleared, events = {}, {}, {}, {}, {}
    nh, nm, ns, nc, ne = 0, 0, 0, 0, 0
    removals, additions = {}, {}
  end
  return batch
end
`;
