-- Passes a client frame POSTed to one node on to the node of the member holding the token: an event
-- stream's POST may land on any node. KEYS: members, tokens. ARGV: key prefix of the room
-- ("parley:room:{ROOM}:"), token, channel, frame. Returns 0 when no event stream's member of the
-- room holds the token (a WebSocket member's frames come on its connection).
index_members(ARGV[1])
local nick_key = redis.call('HGET', KEYS[2], ARGV[2])
if not nick_key then
  return 0
end
local held = redis.call('HGET', KEYS[1], nick_key)
if not held or not cjson.decode(held).posts then
  return 0
end
redis.call('PUBLISH', ARGV[3], '{"kind":"relay","to":' .. cjson.encode(nick_key) .. ',"token":'
  .. cjson.encode(ARGV[2]) .. ',"frame":' .. cjson.encode(ARGV[4]) .. '}')
return 1
