-- Shared by the scripts that change a room's members. A member is a field of the room's members
-- hash: nick key -> {"name","node","token","joined"}; "joined" orders the names as they joined.
local function member_names(members_key)
  local all = redis.call('HGETALL', members_key)
  local list = {}
  for i = 2, #all, 2 do
    table.insert(list, cjson.decode(all[i]))
  end
  table.sort(list, function(a, b) return a.joined < b.joined end)
  local encoded = {}
  for i, member in ipairs(list) do
    encoded[i] = cjson.encode(member.name)
  end
  return '[' .. table.concat(encoded, ',') .. ']'
end

local function presence_event(kind, seq, name, members_json)
  return '{"kind":"' .. kind .. '","seq":' .. seq .. ',"name":' .. cjson.encode(name)
    .. ',"members":' .. members_json .. '}'
end
