-- Numbers, stores and publishes one message as one step, so that on every node id order is
-- publish order. KEYS: epoch, seq, ids, log, members. ARGV: channel, epoch candidate, nick key or
-- '' (no holder check), token, the message as JSON without its id, history size, cid or '', how
-- long a cid is remembered in milliseconds, room idle time in milliseconds, key prefix of the room
-- ("parley:room:{ROOM}:").
-- A cid that the member (its origin: the same through takeovers) said within the memory time is
-- not numbered again: the stored message comes back as 'duplicate' and nothing is published.
local origin = ''
if ARGV[3] ~= '' then
  local held = redis.call('HGET', KEYS[5], ARGV[3])
  if not held then
    return {'absent'}
  end
  local holder = cjson.decode(held)
  if holder.token ~= ARGV[4] then
    return {'replaced'}
  end
  origin = holder.origin or holder.token
end
local cid_key
if ARGV[7] ~= '' and origin ~= '' then
  cid_key = ARGV[10] .. 'cid:' .. origin .. ':' .. ARGV[7]
  local earlier = redis.call('GET', cid_key)
  if earlier then
    return {'duplicate', earlier}
  end
end
redis.call('SET', KEYS[1], ARGV[2], 'NX')
local epoch = redis.call('GET', KEYS[1])
local id = redis.call('INCR', KEYS[3])
local seq = redis.call('INCR', KEYS[2])
local stored = '{"id":' .. id .. ',' .. string.sub(ARGV[5], 2)
local keep = tonumber(ARGV[6])
if keep > 0 then
  redis.call('RPUSH', KEYS[4], stored)
  redis.call('LTRIM', KEYS[4], -keep, -1)
end
if cid_key then
  redis.call('SET', cid_key, stored, 'PX', ARGV[8])
end
redis.call('PUBLISH', ARGV[1], '{"kind":"message","epoch":' .. cjson.encode(epoch) .. ',"seq":'
  .. seq .. ',"message":' .. stored .. '}')
touch_room(ARGV[10], ARGV[9])
return {'said', epoch, id}
