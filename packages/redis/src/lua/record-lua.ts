/**
 * Lua helpers shared by the write and read scripts: a stored record is
 * `registeredAt,updatedAt,expiresAt|metadata` (expiresAt empty for no TTL), so liveness is read
 * from the short header without decoding the metadata JSON.
 */
export const RECORD_LUA = `
local find, sub = string.find, string.sub
local function record_bar(raw)
  return find(raw, '|', 1, true)
end
local function record_expiry(raw)
  local bar = record_bar(raw)
  local c1 = find(raw, ',', 1, true)
  local c2 = find(raw, ',', c1 + 1, true)
  return sub(raw, c2 + 1, bar - 1), bar, c1, c2
end
local function is_live(raw, now)
  local expires = record_expiry(raw)
  return expires == '' or tonumber(expires) > now
end
`;
