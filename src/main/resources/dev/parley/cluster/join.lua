-- Claims a nick for a member of this node and replays the room's history for its welcome, as one
-- step. KEYS: epoch, seq, ids, log, members, node's rooms, nodes, node. ARGV: channel, epoch
-- candidate, nick key, name, node, token, presented token or '', max members, room, since or '',
-- client epoch or '', latest, node time to live in milliseconds, room idle time in milliseconds,
-- key prefix of the room ("parley:room:{ROOM}:"), key prefix ("parley:"), how long a cid is
-- remembered in milliseconds, how many names the welcome lists at most, '1' when the member's
-- frames come as POSTs (an event stream: relay.lua passes them on) or ''.
-- A member back with the token of a connection that left lately (gone:NICK:TOKEN, set by leave.lua
-- and sweep.lua) keeps that connection's origin, and so the cids it said.
-- A member already holding the nick with this very token is kept as it is ('kept'): a node
-- registering its members again after Redis forgot them.
index_members(ARGV[15])
local held = redis.call('HGET', KEYS[5], ARGV[3])
local replaced
if held then
  replaced = cjson.decode(held)
  if replaced.token == ARGV[6] and replaced.node == ARGV[5] then
    return {'kept'}
  end
  if ARGV[7] == '' or (replaced.token ~= ARGV[7]
      and redis.call('GET', ARGV[15] .. 'gone:' .. ARGV[3] .. ':' .. ARGV[7])
        ~= (replaced.origin or replaced.token)) then
    -- neither the holder's token nor one of its member's earlier connections (whose welcome with
    -- the newer token may never have arrived)
    return {'taken'}
  end
elseif redis.call('HLEN', KEYS[5]) >= tonumber(ARGV[8]) then
  return {'full'}
end
local seq = redis.call('INCR', KEYS[2])
local joined = seq
local origin = ARGV[6]
if replaced then
  joined = replaced.joined
  origin = replaced.origin or replaced.token
elseif ARGV[7] ~= '' then
  origin = redis.call('GET', ARGV[15] .. 'gone:' .. ARGV[3] .. ':' .. ARGV[7]) or origin
end
if replaced then
  remember_departed(ARGV[15], ARGV[3], replaced, ARGV[17])
  local still_there = remove_member(ARGV[15], ARGV[3], replaced)
  if replaced.node ~= ARGV[5] and still_there == 0 then
    -- taken over from another node: that node keeps the room alive only while it has members there
    redis.call('SREM', ARGV[16] .. 'node:' .. replaced.node .. ':rooms', ARGV[9])
  end
end
add_member(ARGV[15], ARGV[3],
  {name = ARGV[4], node = ARGV[5], token = ARGV[6], origin = origin, joined = joined,
   posts = ARGV[19] == '1' or nil})
redis.call('SADD', KEYS[6], ARGV[9])
redis.call('SADD', KEYS[7], ARGV[5])
-- A node key missing here (Redis restarted, the node's heartbeat not yet run) would get this new
-- member swept at once. 'joined' rather than 'alive' tells the heartbeat to register the node's
-- other members again.
redis.call('SET', KEYS[8], 'joined', 'PX', ARGV[13], 'NX')
local count = redis.call('HLEN', KEYS[5])
local members = member_names(ARGV[15], 0, tonumber(ARGV[18]))
local event
if replaced then
  event = '{"kind":"replaced","seq":' .. seq .. ',"name":' .. cjson.encode(ARGV[4])
    .. ',"node":' .. cjson.encode(replaced.node) .. ',"token":' .. cjson.encode(replaced.token) .. '}'
else
  event = presence_event('joined', seq, ARGV[4], count)
end
redis.call('PUBLISH', ARGV[1], event)
local history = replay(KEYS[1], KEYS[3], KEYS[4], ARGV[2], ARGV[10], ARGV[11], ARGV[12], '')
touch_room(ARGV[15], ARGV[14])
return {'admitted', seq, members, history, count}
