-- A replica that stopped gracefully leaves the cluster at once instead of waiting out its TTL.
-- ARGV: prefix, replica.
local replica = ARGV[2]
redis.call('DEL', P .. ':replica:' .. replica)
redis.call('ZREM', P .. ':replicas', replica)
return 1
