/**
 * Adds index entries for records that existed before their path was indexed (`ensureIndexes`).
 * An entry is added only when the record is unchanged since the caller read it: a record written
 * in between was indexed by its own write.
 *
 * KEYS: 1 records hash, 2 index config hash, then every record's index keys, record after record.
 * ARGV: 1 index config version, 2 record count, then per record: identity, SHA1 of the record
 * read, index key count k, and k score and member pairs.
 * Replies the number of records indexed, or `{'stale'}`.
 */
export const BACKFILL_SCRIPT = `
if (redis.call('HGET', KEYS[2], 'v') or '0') ~= ARGV[1] then return {'stale'} end
local indexed = 0
local a, k = 3, 3
for _ = 1, tonumber(ARGV[2]) do
  local id, sha, n = ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2])
  a = a + 3
  local raw = redis.call('HGET', KEYS[1], id)
  if raw and redis.sha1hex(raw) == sha then
    for i = 0, n - 1 do redis.call('ZADD', KEYS[k + i], ARGV[a + 2 * i], ARGV[a + 2 * i + 1]) end
    indexed = indexed + 1
  end
  a = a + 2 * n
  k = k + n
end
return indexed
`;
