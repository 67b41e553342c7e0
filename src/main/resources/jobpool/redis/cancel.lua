-- Cancel a job: its unclaimed units end cancelled at once, replicas running its units hear of it
-- on the cancel channel. ARGV: prefix, id, reason, cancelled outcome JSON, retention ms.
local id, reason, outcome, ttl = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local j = redis.call('HMGET', jk(id), 'status', 'cancel', 'next', 'units', 'executor')
if not j[1] then
  return 'missing'
end
if is_finished(j[1]) then
  return 'finished'
end
if j[2] == '1' then
  return 'ok'
end
redis.call('HSET', jk(id), 'cancel', 1, 'cancelReason', reason)
local next, units = tonumber(j[3]), tonumber(j[4])
deferring = true
for u = next, units - 1 do
  local unit = cjson.decode(redis.call('HGET', jk(id) .. ':units', u))
  end_unit(id, u, unit.t, unit.k, outcome, 'cancelled')
end
if units > next then
  redis.call('HSET', jk(id), 'next', units)
  queued(j[5], next - units)
  -- Out of its executor's line, where it would have been dropped at its turn: the job behind it
  -- is alone again.
  redis.call('LREM', P .. ':ready:' .. j[5], 1, id)
end
flush_pending()
redis.call('PUBLISH', P .. ':cancel', id)
finish_if_done(id, ttl)
publish_touched()
return 'ok'
