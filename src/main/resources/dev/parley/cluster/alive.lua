-- A node's heartbeat. KEYS: the node's key, the node's rooms. ARGV: time to live in milliseconds,
-- key prefix ("parley:"), room idle time in milliseconds.
-- Keeps the keys of the rooms where the node has members from expiring while they are idle.
-- Returns 0 when the key had expired or was only set by a join since: the other nodes may have
-- removed this node's members, or Redis lost them, so they must be registered again.
local previous = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], 'alive', 'PX', ARGV[1])
for _, room in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  touch_room(ARGV[2] .. 'room:{' .. room .. '}:', ARGV[3])
end
if previous == 'alive' then
  return 1
end
return 0
