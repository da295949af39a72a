-- KEYS: epoch, ids, log. ARGV: epoch candidate, since or '', client epoch or '', latest, up to or ''.
return replay(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
