-- Lease up to n callbacks that are due (their job ended, or their retry time came) to one
-- replica: their score becomes the lease's end, so that should the replica die they fall
-- due again then. ARGV: prefix, n, lease ms. Returns the job ids.
local n, lease = tonumber(ARGV[2]), tonumber(ARGV[3])
local t = now_ms()
local due = redis.call('ZRANGEBYSCORE', P .. ':callbacks', '-inf', t, 'LIMIT', 0, n)
local claimed = {}
for _, id in ipairs(due) do
  if redis.call('EXISTS', jk(id)) == 1 then
    redis.call('ZADD', P .. ':callbacks', t + lease, id)
    claimed[#claimed + 1] = id
  else
    redis.call('ZREM', P .. ':callbacks', id)
  end
end
return claimed
