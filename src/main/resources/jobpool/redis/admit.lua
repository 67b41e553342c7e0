-- Accept a job: idempotency, the cluster-wide admission bound, the job's keys, its place in
-- its executor's round robin, and retention by count.
-- ARGV: prefix, id, idempotency key ('' for none), fingerprint, max queued tasks, executor,
--       retention ms, max jobs, units, tasks, n job fields, n task fields, inputs JSON, the
--       accepting replica, how many units it can start now, then the job's field/value pairs,
--       the units' JSON (unit 0 first), the task field/value pairs.
-- Returns { 'created', id, units the replica claimed (6 values each, as claim_units) },
-- { 'existing', id|fingerprint } or { 'full', queued tasks }. The accepting replica claims in the
-- same step, so the first units start without a round trip of their own.
local id, idem, fingerprint = ARGV[2], ARGV[3], ARGV[4]
local limit, executor, ttl, max_jobs = tonumber(ARGV[5]), ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8])
local units, tasks, job_fields, task_fields = tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12])
if idem ~= '' then
  local existing = redis.call('GET', P .. ':idem:' .. idem)
  if existing then
    return { 'existing', existing }
  end
end
local total = tonumber(redis.call('HGET', P .. ':queued', 'total') or '0')
if total + units > limit then
  return { 'full', tostring(total) }
end
queued(executor, units)
local t = now_ms()
local fields = { 'submittedAt', t, 'status', 'queued', 'next', 0, 'inflight', 0, 'ended', 0, 'failed', 0,
  'cancelled', 0, 'cancel', 0, 'units', units, 'tasks', tasks, 'executor', executor }
redis.call('SET', jk(id) .. ':inputs', ARGV[13])
local replica, want = ARGV[14], tonumber(ARGV[15])
local at = 15
for k = 1, job_fields * 2 do
  fields[#fields + 1] = ARGV[at + k]
end
at = at + job_fields * 2
redis.call('HSET', jk(id), unpack(fields))
local batch = {}
for u = 0, units - 1 do
  batch[#batch + 1] = u
  batch[#batch + 1] = ARGV[at + u + 1]
  if #batch >= 1000 then
    redis.call('HSET', jk(id) .. ':units', unpack(batch))
    batch = {}
  end
end
if #batch > 0 then
  redis.call('HSET', jk(id) .. ':units', unpack(batch))
end
at = at + units
batch = {}
for k = 1, task_fields * 2 do
  batch[#batch + 1] = ARGV[at + k]
  if #batch >= 1000 then
    redis.call('HSET', jk(id) .. ':tasks', unpack(batch))
    batch = {}
  end
end
if #batch > 0 then
  redis.call('HSET', jk(id) .. ':tasks', unpack(batch))
end
redis.call('ZADD', P .. ':jobs', t, id)
redis.call('RPUSH', P .. ':ready:' .. executor, id)
if idem ~= '' then
  redis.call('SET', P .. ':idem:' .. idem, id .. '|' .. fingerprint, 'PX', ttl)
end
local excess = redis.call('ZCARD', P .. ':jobs') - max_jobs
while excess > 0 do
  local oldest = redis.call('ZRANGE', P .. ':finished', 0, 0)
  if #oldest == 0 then
    break
  end
  delete_job(oldest[1])
  excess = excess - 1
end
redis.call('ZREMRANGEBYSCORE', P .. ':finished', '-inf', t - ttl)
local claimed = claim_units(executor, replica, want)
publish_if_claimable(id, {})
return { 'created', id, claimed }
