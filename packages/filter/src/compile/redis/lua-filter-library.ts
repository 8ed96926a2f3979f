/**
 * The Lua filter library: fixed source, never built from user input. It defines two locals for
 * the script it is prepended to:
 *
 * - `muster_filter_compile(program)`: decodes a program made by `toLuaProgram` once and returns
 *   `predicate, constant`: `predicate(doc)` tests one decoded metadata table; `constant` is
 *   true or false when the answer does not depend on the document (else nil), so callers can
 *   skip reading documents.
 * - `muster_filter_decode_metadata(raw)`: decodes one value written by `encodeMetadataForLua`.
 *
 * Redis quirks it works around: cjson decodes `[]` and `{}` alike (empty arrays are stored as
 * `{"$a":0}`; `$` never starts a metadata key), JSON null is `cjson.null` rather than nil, and
 * string `<` follows the server's locale (strings are compared byte by byte, which for UTF-8 is
 * code point order). Numbers are decoded by cjson's strtod and never re-encoded. Substrings use
 * plain `string.find`; no Lua pattern ever sees user data.
 */
export const LUA_FILTER_LIBRARY = `
local muster_filter_compile, muster_filter_decode_metadata
do
  local NULL = cjson.null
  local decode = cjson.decode
  local byte, find, sub = string.byte, string.find, string.sub
  local type, error, tostring = type, error, tostring
  local EMPTY_ARRAY_TAG = '$a'

  local function fail(message)
    error('muster filter: ' .. message, 0)
  end

  -- Objects decode with string keys only, so an array has [1] or is the tagged empty array.
  local function is_array(t)
    return t[1] ~= nil or t[EMPTY_ARRAY_TAG] ~= nil
  end

  local function is_scalar(x)
    local t = type(x)
    return t == 'string' or t == 'number' or t == 'boolean' or x == NULL
  end

  -- Byte order of UTF-8 is code point order; string < would use the locale's strcoll.
  local function compare(a, b)
    if a == b then return 0 end
    local la, lb = #a, #b
    local n = la < lb and la or lb
    for i = 1, n do
      local x, y = byte(a, i), byte(b, i)
      if x ~= y then return x - y end
    end
    return la - lb
  end

  local function always() return true end
  local function never() return false end

  -- Paths walk objects only: a missing key, or a non-object before the last segment, is nil.
  local function reader(path)
    if type(path) ~= 'table' or #path == 0 then fail('malformed path') end
    local n = #path
    for i = 1, n do
      if type(path[i]) ~= 'string' then fail('malformed path') end
    end
    local k1 = path[1]
    if n == 1 then
      return function(doc) return doc[k1] end
    end
    if n == 2 then
      local k2 = path[2]
      return function(doc)
        local v = doc[k1]
        if type(v) ~= 'table' or is_array(v) then return nil end
        return v[k2]
      end
    end
    return function(doc)
      local v = doc[k1]
      for i = 2, n do
        if type(v) ~= 'table' or is_array(v) then return nil end
        v = v[path[i]]
      end
      return v
    end
  end

  -- True when the value, or (for an array) one of its elements, passes the test.
  local function any_candidate(read, test)
    return function(doc)
      local v = read(doc)
      if v == nil then return false end
      if type(v) == 'table' and is_array(v) then
        for i = 1, #v do
          if test(v[i]) then return true end
        end
        return false
      end
      return test(v)
    end
  end

  -- Array elements that equal x (the == rule; tables equal no scalar).
  local function has_element(v, x)
    for i = 1, #v do
      if v[i] == x then return true end
    end
    return false
  end

  -- == null: missing, null, or an array holding null.
  local function equals_null(read)
    return function(doc)
      local v = read(doc)
      if v == nil or v == NULL then return true end
      return type(v) == 'table' and is_array(v) and has_element(v, NULL)
    end
  end

  local function membership(read, values)
    if type(values) ~= 'table' then fail('malformed in') end
    local n = #values
    if n == 0 then return never, false end
    local set, with_null = {}, false
    for i = 1, n do
      local x = values[i]
      if not is_scalar(x) then fail('malformed in') end
      if x == NULL then with_null = true else set[x] = true end
    end
    local candidates = any_candidate(read, function(c) return set[c] == true end)
    if not with_null then return candidates end
    local null = equals_null(read)
    return function(doc) return null(doc) or candidates(doc) end
  end

  local function range_test(op, x)
    if type(x) == 'number' then
      if op == 'lt' then return function(c) return type(c) == 'number' and c < x end end
      if op == 'lte' then return function(c) return type(c) == 'number' and c <= x end end
      if op == 'gt' then return function(c) return type(c) == 'number' and c > x end end
      return function(c) return type(c) == 'number' and c >= x end
    end
    if type(x) ~= 'string' then fail('malformed range') end
    if op == 'lt' then return function(c) return type(c) == 'string' and compare(c, x) < 0 end end
    if op == 'lte' then return function(c) return type(c) == 'string' and compare(c, x) <= 0 end end
    if op == 'gt' then return function(c) return type(c) == 'string' and compare(c, x) > 0 end end
    return function(c) return type(c) == 'string' and compare(c, x) >= 0 end
  end

  local function contains_test(read, x)
    if not is_scalar(x) then fail('malformed contains') end
    if type(x) == 'string' then
      return function(doc)
        local v = read(doc)
        if type(v) == 'string' then return find(v, x, 1, true) ~= nil end
        return type(v) == 'table' and is_array(v) and has_element(v, x)
      end
    end
    return function(doc)
      local v = read(doc)
      return type(v) == 'table' and is_array(v) and has_element(v, x)
    end
  end

  local function type_test(read, name)
    if name == 'array' then
      return function(doc)
        local v = read(doc)
        return type(v) == 'table' and is_array(v)
      end
    end
    if name == 'null' then return any_candidate(read, function(c) return c == NULL end) end
    if name == 'object' then
      return any_candidate(read, function(c) return type(c) == 'table' and not is_array(c) end)
    end
    if name == 'string' or name == 'number' or name == 'boolean' then
      return any_candidate(read, function(c) return type(c) == name end)
    end
    fail('unknown type ' .. tostring(name))
  end

  local function compile_leaf(op, node)
    local read = reader(node[2])
    local x = node[3]
    if op == 'eq' then
      if not is_scalar(x) then fail('malformed eq') end
      if x == NULL then return equals_null(read) end
      return any_candidate(read, function(c) return c == x end)
    end
    if op == 'lt' or op == 'lte' or op == 'gt' or op == 'gte' then
      return any_candidate(read, range_test(op, x))
    end
    if op == 'startswith' then
      if type(x) ~= 'string' then fail('malformed startswith') end
      local n = #x
      return any_candidate(read, function(c) return type(c) == 'string' and sub(c, 1, n) == x end)
    end
    if op == 'endswith' then
      if type(x) ~= 'string' then fail('malformed endswith') end
      local n = #x
      if n == 0 then return any_candidate(read, function(c) return type(c) == 'string' end) end
      return any_candidate(read, function(c) return type(c) == 'string' and sub(c, -n) == x end)
    end
    if op == 'contains' then return contains_test(read, x) end
    if op == 'in' then return membership(read, x) end
    if op == 'exists' then return function(doc) return read(doc) ~= nil end end
    if op == 'type' then return type_test(read, x) end
    fail('unknown operator ' .. tostring(op))
  end

  -- Returns predicate, constant (true/false when the answer never depends on the document).
  local compile_node
  compile_node = function(node)
    if type(node) ~= 'table' then fail('malformed program') end
    local op = node[1]
    if op == 'all' then return always, true end
    if op == 'not' then
      local inner, constant = compile_node(node[2])
      if constant == true then return never, false end
      if constant == false then return always, true end
      return function(doc) return not inner(doc) end
    end
    if op == 'and' or op == 'or' then
      local absorbing = op == 'or'
      local parts = {}
      for i = 2, #node do
        local part, constant = compile_node(node[i])
        if constant == absorbing then
          if absorbing then return always, true end
          return never, false
        end
        if constant == nil then parts[#parts + 1] = part end
      end
      local n = #parts
      if n == 0 then
        if absorbing then return never, false end
        return always, true
      end
      if n == 1 then return parts[1] end
      if op == 'and' then
        return function(doc)
          for i = 1, n do
            if not parts[i](doc) then return false end
          end
          return true
        end
      end
      return function(doc)
        for i = 1, n do
          if parts[i](doc) then return true end
        end
        return false
      end
    end
    return compile_leaf(op, node)
  end

  muster_filter_compile = function(program)
    if type(program) ~= 'string' then fail('the program must be a string') end
    local ok, node = pcall(decode, program)
    if not ok then fail('the program is not valid JSON') end
    return compile_node(node)
  end

  muster_filter_decode_metadata = function(raw)
    local ok, doc = pcall(decode, raw)
    if not ok or type(doc) ~= 'table' or is_array(doc) then fail('stored metadata is not a JSON object') end
    return doc
  end
end
`;
