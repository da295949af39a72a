-- Numbers, stores and publishes one message as one step, so that on every node id order is
-- publish order. KEYS: epoch, seq, ids, log, members. ARGV: channel, epoch candidate, nick key or ''
-- (no holder check), token, the message as JSON without its id, history size.
if ARGV[3] ~= '' then
  local held = redis.call('HGET', KEYS[5], ARGV[3])
  if not held then
    return {'absent'}
  end
  if cjson.decode(held).token ~= ARGV[4] then
    return {'replaced'}
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
redis.call('PUBLISH', ARGV[1], '{"kind":"message","epoch":' .. cjson.encode(epoch) .. ',"seq":'
  .. seq .. ',"message":' .. stored .. '}')
return {'said', epoch, id}
