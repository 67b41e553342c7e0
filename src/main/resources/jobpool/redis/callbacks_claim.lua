-- Lease up to n callbacks that are due (their job ended, or their retry time came) to one
-- replica: their score becomes the lease's end, so that should the replica die they fall
-- due again then. A lease that ran out with no attempt recorded or handed back was an
-- attempt that died with its replica (which may have reached the receiver): it counts as
-- one, and the one that spends max attempts fails the callback 'worker_lost'.
-- ARGV: prefix, n, lease ms, max attempts. Returns how many lost attempts it counted, then each
-- job id taken followed by the job's type (so that the replica need not read it again).
local n, lease, max_attempts = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local t = now_ms()
local due = redis.call('ZRANGEBYSCORE', P .. ':callbacks', '-inf', t, 'LIMIT', 0, n)
local claimed = { 0 }
for _, id in ipairs(due) do
  local k = jk(id)
  local state = redis.call('HMGET', k, 'cbUrl', 'cbStatus', 'cbLeased', 'type')
  local take = state[1] and state[4] and (not state[2] or state[2] == 'pending')
  if take and state[3] then
    local attempts = redis.call('HINCRBY', k, 'cbAttempts', 1)
    claimed[1] = claimed[1] + 1
    redis.call('HDEL', k, 'cbCode')
    redis.call('HSET', k, 'cbError', 'worker_lost', 'cbErrorMessage',
      'the replica delivering this callback stopped before it recorded the attempt')
    if attempts >= max_attempts then
      redis.call('HSET', k, 'cbStatus', 'failed')
      redis.call('HDEL', k, 'cbLeased')
      take = false
    end
  end
  if take then
    redis.call('HSET', k, 'cbLeased', 1)
    redis.call('ZADD', P .. ':callbacks', t + lease, id)
    claimed[#claimed + 1] = id
    claimed[#claimed + 1] = state[4]
  else
    redis.call('ZREM', P .. ':callbacks', id)
  end
end
return claimed
