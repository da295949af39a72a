-- Reads one page of a room's log without reading the rest. The log holds the newest ids,
-- contiguous: newest - LLEN + 1 .. newest (say.lua numbers and pushes in one step).
-- KEYS: ids, log. ARGV: 'before' or 'after', the id bound (exclusive), the most messages ('before'
-- only). Returns the stored messages, oldest first.
local newest = tonumber(redis.call('GET', KEYS[1]) or '0')
local oldest = newest - redis.call('LLEN', KEYS[2]) + 1
local first, last
if ARGV[1] == 'before' then
  last = math.min(tonumber(ARGV[2]) - 1, newest)
  first = math.max(oldest, last - tonumber(ARGV[3]) + 1)
else
  first = math.max(oldest, tonumber(ARGV[2]) + 1)
  last = newest
end
if first > last then
  return {}
end
return redis.call('LRANGE', KEYS[2], first - oldest, last - oldest)
