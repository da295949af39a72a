-- Removes the members of nodes whose heartbeat key expired (crashed, or cut off from Redis) and
-- tells their rooms. Safe to run on every node at once. Builds room keys from the names it finds,
-- so it needs a single Redis server (not Redis Cluster).
-- KEYS: nodes. ARGV: key prefix ("parley:").
local removed = 0
for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. 'node:' .. node) == 0 then
    local rooms_key = ARGV[1] .. 'node:' .. node .. ':rooms'
    for _, room in ipairs(redis.call('SMEMBERS', rooms_key)) do
      local base = ARGV[1] .. 'room:{' .. room .. '}:'
      local all = redis.call('HGETALL', base .. 'members')
      for i = 2, #all, 2 do
        local member = cjson.decode(all[i])
        if member.node == node then
          redis.call('HDEL', base .. 'members', all[i - 1])
          local seq = redis.call('INCR', base .. 'seq')
          redis.call('PUBLISH', ARGV[1] .. 'events:' .. room,
            presence_event('left', seq, member.name, member_names(base .. 'members')))
          removed = removed + 1
        end
      end
    end
    redis.call('DEL', rooms_key)
    redis.call('SREM', KEYS[1], node)
  end
end
return removed
