-- Hand back leased callbacks not attempted: due again now, and no attempt counted. ARGV:
-- prefix, then the job ids.
local t = now_ms()
for i = 2, #ARGV do
  if redis.call('ZSCORE', P .. ':callbacks', ARGV[i]) then
    redis.call('ZADD', P .. ':callbacks', t, ARGV[i])
    redis.call('HDEL', jk(ARGV[i]), 'cbLeased')
  end
end
return 1
