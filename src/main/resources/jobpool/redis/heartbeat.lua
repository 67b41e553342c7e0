-- A replica is alive: its key (with its executors and load) lives for the TTL, and the replica
-- index keeps when it was last heard of, on Redis's clock.
-- ARGV: prefix, replica, description JSON, ttl ms. Returns Redis's time in ms.
local replica, description, ttl = ARGV[2], ARGV[3], tonumber(ARGV[4])
local t = now_ms()
redis.call('SET', P .. ':replica:' .. replica, description, 'PX', ttl)
redis.call('ZADD', P .. ':replicas', t, replica)
return t
