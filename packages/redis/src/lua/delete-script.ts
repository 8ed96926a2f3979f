import { RECORD_LUA } from './record-lua.js';

/**
 * Removes one live record with its index entries and emits `unregistered`, atomically. An
 * expired record is left for the sweep (which reports it as expired, exactly once).
 *
 * KEYS: 1 records hash, 2 members zset, 3 expiry zset, 4 events stream, 5 index config hash,
 * then the record's index keys.
 * ARGV: 1 identity, 2 now, 3 index config version, 4 SHA1 of the record the keys came from
 * ('' none, '*' not checked), 5 events max length, then one member per index key.
 * Replies `{'ok', record}`, `{'absent'}`, `{'stale'}` or `{'conflict'}`.
 */
export const DELETE_SCRIPT = `${RECORD_LUA}
local id, now = ARGV[1], tonumber(ARGV[2])
if (redis.call('HGET', KEYS[5], 'v') or '0') ~= ARGV[3] then return {'stale'} end
local raw = redis.call('HGET', KEYS[1], id)
if ARGV[4] ~= '*' and (raw and redis.sha1hex(raw) or '') ~= ARGV[4] then return {'conflict'} end
if not raw or not is_live(raw, now) then return {'absent'} end
for i = 6, #KEYS do redis.call('ZREM', KEYS[i], ARGV[i]) end
redis.call('HDEL', KEYS[1], id)
redis.call('ZREM', KEYS[2], id)
redis.call('ZREM', KEYS[3], id)
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[5], '*', 't', 'unregistered', 'i', id, 'p', raw, 'at', ARGV[2])
return {'ok', raw}
`;
