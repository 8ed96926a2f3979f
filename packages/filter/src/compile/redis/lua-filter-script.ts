import { LUA_FILTER_LIBRARY } from './lua-filter-library.js';

/**
 * The standard filter script: `KEYS` are string keys each holding one identity's metadata as
 * written by `encodeMetadataForLua`, `ARGV[1]` is a program from `toLuaProgram`. Returns the keys
 * whose metadata matches, in KEYS order; missing keys never match. The program is decoded once
 * per call. `no-writes` lets it run on replicas (EVALSHA_RO) and when the server is out of memory.
 */
export const LUA_FILTER_SCRIPT = `#!lua flags=no-writes
${LUA_FILTER_LIBRARY}
local predicate, constant = muster_filter_compile(ARGV[1])
local matched = {}
if constant == false then return matched end
for i = 1, #KEYS do
  local key = KEYS[i]
  if constant then
    if redis.call('EXISTS', key) == 1 then matched[#matched + 1] = key end
  else
    local raw = redis.call('GET', key)
    if raw and predicate(muster_filter_decode_metadata(raw)) then matched[#matched + 1] = key end
  end
end
return matched
`;
