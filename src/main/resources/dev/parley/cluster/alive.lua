-- A node's heartbeat. KEYS: the node's key. ARGV: time to live in milliseconds.
-- Returns 0 when the key had expired or was only set by a join since: the other nodes may have
-- removed this node's members, or Redis lost them, so they must be registered again.
local previous = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], 'alive', 'PX', ARGV[1])
if previous == 'alive' then
  return 1
end
return 0
