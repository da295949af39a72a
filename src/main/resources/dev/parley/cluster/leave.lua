-- Removes a member if it still holds its nick with this token, and tells the room.
-- KEYS: seq, members, node's rooms. ARGV: channel, nick key, token, node, room, room idle time in
-- milliseconds, key prefix of the room ("parley:room:{ROOM}:"), how long a cid is remembered.
index_members(ARGV[7])
local held = redis.call('HGET', KEYS[2], ARGV[2])
if not held then
  return 0
end
local holder = cjson.decode(held)
if holder.token ~= ARGV[3] then
  return 0
end
remember_departed(ARGV[7], ARGV[2], holder, ARGV[8])
if remove_member(ARGV[7], ARGV[2], holder) == 0 then
  redis.call('SREM', KEYS[3], ARGV[5])
end
local seq = redis.call('INCR', KEYS[1])
redis.call('PUBLISH', ARGV[1], presence_event('left', seq, holder.name, redis.call('HLEN', KEYS[2])))
touch_room(ARGV[7], ARGV[6])
return 1
