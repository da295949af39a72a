-- Shared by the scripts that change a room's members. A member is a field of the room's members
-- hash: nick key -> {"name","node","token","origin","joined"}; "joined" orders the names as they
-- joined; "origin" is the token of the member's first connection, kept through takeovers.
local function member_names(members_key, limit)
  local all = redis.call('HGETALL', members_key)
  local list = {}
  for i = 2, #all, 2 do
    table.insert(list, cjson.decode(all[i]))
  end
  table.sort(list, function(a, b) return a.joined < b.joined end)
  local encoded = {}
  for i, member in ipairs(list) do
    if i > limit then
      break
    end
    encoded[i] = cjson.encode(member.name)
  end
  return '[' .. table.concat(encoded, ',') .. ']'
end

-- A join or leave as the nodes hear it: the name and the room's size after it, not the whole list
-- (a storm of N joins would otherwise publish N lists of up to N names).
local function presence_event(kind, seq, name, count)
  return '{"kind":"' .. kind .. '","seq":' .. seq .. ',"name":' .. cjson.encode(name)
    .. ',"count":' .. count .. '}'
end

-- A room's keys live on while the room is used: every change pushes their expiry back, and the
-- heartbeat of a node with members there does too (alive.lua).
local room_parts = {'epoch', 'seq', 'ids', 'log', 'members'}
local function touch_room(base, idle_millis)
  for _, part in ipairs(room_parts) do
    redis.call('PEXPIRE', base .. part, idle_millis)
  end
end

-- A member that left may come back with its token: it keeps its origin for as long as cids are
-- remembered (join.lua reads it).
local function remember_departed(base, nick_key, holder, millis)
  redis.call('SET', base .. 'gone:' .. nick_key .. ':' .. holder.token,
    holder.origin or holder.token, 'PX', millis)
end
