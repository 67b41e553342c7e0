-- A claimed unit started on a worker: the task's start and worker, and the job's start.
-- ARGV: prefix, id, unit, task, worker JSON. Returns {first start of the job (0/1), submittedAt, now}.
local id, unit, task, worker = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local tk = jk(id) .. ':tasks'
if redis.call('EXISTS', jk(id)) == 0 or redis.call('HEXISTS', tk, 'u:' .. unit) == 1 then
  return { 0, 0, 0 }
end
local t = now_ms()
redis.call('HSETNX', tk, 's:' .. task, t)
redis.call('HSET', tk, 'w:' .. task, worker)
local first = 0
if redis.call('HSETNX', jk(id), 'startedAt', t) == 1 then
  first = 1
  if redis.call('HGET', jk(id), 'status') == 'queued' then
    redis.call('HSET', jk(id), 'status', 'running')
  end
end
return { first, tonumber(redis.call('HGET', jk(id), 'submittedAt')), t }
