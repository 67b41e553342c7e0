-- Record one attempt of a job's callback, and in how many ms to try again ('' for never), on
-- Redis's clock. ARGV: prefix, id, status, status code (''), error code (''), error message, at ms,
-- retry delay ms ('').
local id, status, code, error_code, error_message, at, retry_at = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
if redis.call('EXISTS', jk(id)) == 0 then
  redis.call('ZREM', P .. ':callbacks', id)
  return 0
end
redis.call('HINCRBY', jk(id), 'cbAttempts', 1)
redis.call('HDEL', jk(id), 'cbLeased')
redis.call('HSET', jk(id), 'cbStatus', status)
if code ~= '' then
  redis.call('HSET', jk(id), 'cbCode', code)
else
  redis.call('HDEL', jk(id), 'cbCode')
end
if error_code ~= '' then
  redis.call('HSET', jk(id), 'cbError', error_code, 'cbErrorMessage', error_message)
else
  redis.call('HDEL', jk(id), 'cbError', 'cbErrorMessage')
end
if status == 'delivered' then
  redis.call('HSET', jk(id), 'cbDeliveredAt', at)
end
if retry_at ~= '' then
  redis.call('ZADD', P .. ':callbacks', now_ms() + tonumber(retry_at), id)
else
  redis.call('ZREM', P .. ':callbacks', id)
end
return 1
