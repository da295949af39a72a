-- Removes the members of nodes whose heartbeat key expired (crashed, or cut off from Redis) and
-- tells their rooms. Safe to run on every node at once. Builds room keys from the names it finds,
-- so it needs a single Redis server (not Redis Cluster). A room where the dead node held members
-- is read once, however many of them it held; every 'left' event carries the room's size once all
-- of them are gone.
-- KEYS: nodes. ARGV: key prefix ("parley:"), how long a cid is remembered in milliseconds.
local removed = 0
for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. 'node:' .. node) == 0 then
    local rooms_key = ARGV[1] .. 'node:' .. node .. ':rooms'
    for _, room in ipairs(redis.call('SMEMBERS', rooms_key)) do
      local base = ARGV[1] .. 'room:{' .. room .. '}:'
      index_members(base)
      local gone = {}
      if redis.call('HEXISTS', base .. 'nodes', node) == 1 then
        local all = redis.call('HGETALL', base .. 'members')
        for i = 2, #all, 2 do
          local member = cjson.decode(all[i])
          if member.node == node then
            table.insert(gone, {key = all[i - 1], name = member.name, holder = member})
          end
        end
      end
      if #gone > 0 then
        for _, member in ipairs(gone) do
          remember_departed(base, member.key, member.holder, ARGV[2])
          remove_member(base, member.key, member.holder)
        end
        local count = redis.call('HLEN', base .. 'members')
        for _, member in ipairs(gone) do
          local seq = redis.call('INCR', base .. 'seq')
          redis.call('PUBLISH', ARGV[1] .. 'events:' .. room,
            presence_event('left', seq, member.name, count))
        end
        removed = removed + #gone
      end
    end
    redis.call('DEL', rooms_key)
    redis.call('SREM', KEYS[1], node)
  end
end
return removed
