-- A node's heartbeat. KEYS: the node's key. ARGV: time to live in milliseconds.
-- Returns 0 when the key had expired (or never existed): the other nodes may have removed this
-- node's members, which must then be registered again.
local existed = redis.call('EXISTS', KEYS[1])
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
return existed
