-- Shared by the scripts that change a room's members. A member is a field of the room's members
-- hash: nick key -> {"name","node","token","origin","joined","posts"}; "joined" (the seq the member
-- joined at) orders the names; "origin" is the token of the member's first connection, kept
-- through takeovers; "posts" is there for an event stream's member, whose frames come as POSTs.
-- Three indexes kept beside the members hash, so that no join or leave reads the whole room:
-- 'order' (sorted set: each name, scored by the seq it joined at), 'nodes' (hash: node -> how
-- many of the room's members it holds) and 'tokens' (hash: token -> nick key, for a POST that
-- lands on another node than its event stream). A room written without them, or whose indexes
-- disagree with the hash in size, has them rebuilt here, once.
local function index_members(base)
  local size = redis.call('HLEN', base .. 'members')
  if redis.call('ZCARD', base .. 'order') == size and redis.call('HLEN', base .. 'tokens') == size then
    return
  end
  redis.call('DEL', base .. 'order', base .. 'nodes', base .. 'tokens')
  local all = redis.call('HGETALL', base .. 'members')
  for i = 2, #all, 2 do
    local member = cjson.decode(all[i])
    redis.call('ZADD', base .. 'order', member.joined, member.name)
    redis.call('HINCRBY', base .. 'nodes', member.node, 1)
    redis.call('HSET', base .. 'tokens', member.token, all[i - 1])
  end
end

local function add_member(base, nick_key, holder)
  redis.call('HSET', base .. 'members', nick_key, cjson.encode(holder))
  redis.call('ZADD', base .. 'order', holder.joined, holder.name)
  redis.call('HINCRBY', base .. 'nodes', holder.node, 1)
  redis.call('HSET', base .. 'tokens', holder.token, nick_key)
end

-- Returns how many members the holder's node still has in the room.
local function remove_member(base, nick_key, holder)
  redis.call('HDEL', base .. 'members', nick_key)
  redis.call('ZREM', base .. 'order', holder.name)
  redis.call('HDEL', base .. 'tokens', holder.token)
  local still = redis.call('HINCRBY', base .. 'nodes', holder.node, -1)
  if still <= 0 then
    redis.call('HDEL', base .. 'nodes', holder.node)
  end
  return still
end

-- The first names in join order after the member who joined at seq 'after' (0: from the first),
-- as a JSON array.
local function member_names(base, after, limit)
  if limit <= 0 then
    return '[]'
  end
  local names = redis.call('ZRANGEBYSCORE', base .. 'order', '(' .. after, '+inf', 'LIMIT', 0, limit)
  if #names == 0 then
    return '[]'
  end
  return cjson.encode(names)
end

-- A join or leave as the nodes hear it: the name and the room's size after it, not the whole list
-- (a storm of N joins would otherwise publish N lists of up to N names).
local function presence_event(kind, seq, name, count)
  return '{"kind":"' .. kind .. '","seq":' .. seq .. ',"name":' .. cjson.encode(name)
    .. ',"count":' .. count .. '}'
end

-- A room's keys live on while the room is used: every change pushes their expiry back, and the
-- heartbeat of a node with members there does too (alive.lua).
local room_parts = {'epoch', 'seq', 'ids', 'log', 'members', 'order', 'nodes', 'tokens'}
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
