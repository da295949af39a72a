-- One page of a room's names in join order, and the room's size. KEYS: members. ARGV: key prefix
-- of the room ("parley:room:{ROOM}:"), nick key to start after or '' (also when that member has
-- left: from the first), the most names.
index_members(ARGV[1])
local after = 0
if ARGV[2] ~= '' then
  local held = redis.call('HGET', KEYS[1], ARGV[2])
  if held then
    after = cjson.decode(held).joined
  end
end
return {member_names(ARGV[1], after, tonumber(ARGV[3])), redis.call('HLEN', KEYS[1])}
