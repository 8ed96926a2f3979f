import { LUA_FILTER_LIBRARY } from '@muster/filter';
import { RECORD_LUA } from './record-lua.js';

/**
 * One bounded step of a read: takes up to `count` identities, either the next ones of a zset of
 * identities in lexicographic order (the members zset or an equality/presence index) or the
 * identities given in ARGV, and returns those that are live and match the filter program (the
 * @muster/filter Lua evaluator). Bounded by `count`, by `max matches` and by a time budget
 * (SELECT_BUDGET_US), so no call holds the server for long, whatever the namespace size or the
 * cost of a record.
 *
 * KEYS: 1 records hash, 2 source zset (ignored in 'ids' mode).
 * ARGV: 1 mode ('asc', 'desc' or 'ids'), 2 lex bound to start from ('-', '+' or '(' identity),
 * 3 count, 4 program, 5 now, 6 reply ('0' identities, '1' headers, '2' whole records),
 * 7 max matches, then the identities in 'ids' mode.
 * Replies `{last identity looked at, '1' when the source is exhausted else '0', matches...}`,
 * each match its identity followed (reply '1' or '2') by its header or record.
 */
/** How long one select call may run (µs) before it returns what it has: bounds server blocking. */
export const SELECT_BUDGET_US = 2_000;

export const SELECT_SCRIPT = `#!lua flags=no-writes
${LUA_FILTER_LIBRARY}
${RECORD_LUA}
local mode, count, now, reply, max = ARGV[1], tonumber(ARGV[3]), tonumber(ARGV[5]), ARGV[6], tonumber(ARGV[7])
local predicate, constant = muster_filter_compile(ARGV[4])
local ids
if mode == 'ids' then
  ids = {}
  for i = 8, #ARGV do ids[#ids + 1] = ARGV[i] end
elseif constant == false then
  return {'', '1'}
elseif mode == 'asc' then
  ids = redis.call('ZRANGE', KEYS[2], ARGV[2], '+', 'BYLEX', 'LIMIT', 0, count)
else
  ids = redis.call('ZRANGE', KEYS[2], ARGV[2], '-', 'BYLEX', 'REV', 'LIMIT', 0, count)
end
local out = {'', '0'}
local matched, looked = 0, 0
-- A time budget as well as a count: a call stops after about SELECT_BUDGET_US microseconds (checked
-- every 16 identities), whatever a record costs to decode on this server.
local clock = redis.call('TIME')
local deadline = clock[1] * 1000000 + clock[2] + ${SELECT_BUDGET_US}
for i = 1, #ids do
  if i % 16 == 0 then
    clock = redis.call('TIME')
    if clock[1] * 1000000 + clock[2] > deadline then break end
  end
  local id = ids[i]
  looked = i
  local raw = redis.call('HGET', KEYS[1], id)
  if raw and is_live(raw, now) then
    local bar = record_bar(raw)
    if constant == true or predicate(muster_filter_decode_metadata(sub(raw, bar + 1))) then
      out[#out + 1] = id
      if reply == '1' then out[#out + 1] = sub(raw, 1, bar - 1)
      elseif reply == '2' then out[#out + 1] = raw end
      matched = matched + 1
      if matched >= max then break end
    end
  end
end
if looked > 0 then out[1] = ids[looked] end
if looked == #ids and (mode == 'ids' or #ids < count) then out[2] = '1' end
return out
`;
