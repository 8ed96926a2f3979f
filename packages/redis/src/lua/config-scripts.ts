/**
 * The index config of a namespace: a hash holding the version `v`, a set of indexed paths
 * (JSON arrays) and a set of the paths whose backfill finished (only those serve reads).
 * Every write script checks `v`, so a writer with an outdated view reloads instead of leaving
 * a new index incomplete.
 *
 * READ, KEYS: 1 config hash, 2 paths set, 3 ready set. Replies `{v, paths JSON..., '', ready...}`.
 */
export const READ_CONFIG_SCRIPT = `#!lua flags=no-writes
local out = {redis.call('HGET', KEYS[1], 'v') or '0'}
for _, path in ipairs(redis.call('SMEMBERS', KEYS[2])) do out[#out + 1] = path end
out[#out + 1] = ''
for _, path in ipairs(redis.call('SMEMBERS', KEYS[3])) do out[#out + 1] = path end
return out
`;

/** ADD PATHS, KEYS: 1 config hash, 2 paths set. ARGV: paths (JSON). Bumps `v` when any is new. */
export const ADD_PATHS_SCRIPT = `
local added = redis.call('SADD', KEYS[2], unpack(ARGV))
if added > 0 then redis.call('HINCRBY', KEYS[1], 'v', 1) end
return redis.call('HGET', KEYS[1], 'v') or '0'
`;

/** COUNT, KEYS: 1 members zset, 2 expiry zset. ARGV: 1 now. Live identities, in O(log n). */
export const COUNT_SCRIPT = `#!lua flags=no-writes
return redis.call('ZCARD', KEYS[1]) - redis.call('ZCOUNT', KEYS[2], '-inf', ARGV[1])
`;
