-- Shared by the scripts that replay a room's history. The log holds the newest ids, contiguous:
-- newest - LLEN + 1 .. newest. Returns {epoch, last, oldest kept id, messages up to last}.
local function replay(epoch_key, ids_key, log_key, epoch_candidate, since, client_epoch, latest, up_to)
  redis.call('SET', epoch_key, epoch_candidate, 'NX')
  local epoch = redis.call('GET', epoch_key)
  local newest = tonumber(redis.call('GET', ids_key) or '0')
  local last = newest
  if up_to ~= '' then
    last = math.min(newest, tonumber(up_to))
  end
  local length = redis.call('LLEN', log_key)
  local newer = newest - last
  local kept = math.max(0, length - newer)
  local count
  if since ~= '' and client_epoch == epoch then
    count = last - tonumber(since)
  else
    count = tonumber(latest)
  end
  count = math.max(0, math.min(count, kept))
  local messages = {}
  if count > 0 then
    messages = redis.call('LRANGE', log_key, kept - count, kept - 1)
  end
  return {epoch, last, newest - length + 1, messages}
end
