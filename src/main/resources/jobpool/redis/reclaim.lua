-- Put a replica's claimed, unfinished units back into play.
-- mode 'dead': the replica's heartbeat expired (does nothing if it is back); each unit counts a
--   redelivery, and past the bound it fails worker_lost.
-- mode 'restart': a replica starting again under the same id takes back what it held before;
--   counted as for a dead one.
-- mode 'handback': a replica stopping gracefully; not counted, put first in line.
-- mode 'orphans': a live replica gives back the units it holds in Redis but does not run (the
--   answer to the step that claimed them never reached it); only the members given, which it saw
--   twice, a reaper interval apart; not counted, put first in line.
-- ARGV: prefix, replica, mode, max redeliveries, worker_lost outcome JSON, retention ms, then for
--   'orphans' the members (id|unit).
-- Returns {units looked at, requeued, failed}.
local replica, mode, max_redeliveries, lost, ttl = ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])
if mode == 'dead' and redis.call('EXISTS', P .. ':replica:' .. replica) == 1 then
  return { 0, 0, 0 }
end
local set = P .. ':replica:' .. replica .. ':claims'
local members
if mode == 'orphans' then
  members = {}
  for k = 7, #ARGV do
    if redis.call('SREM', set, ARGV[k]) == 1 then
      members[#members + 1] = ARGV[k]
    end
  end
else
  members = redis.call('SMEMBERS', set)
end
local requeued, failed = 0, 0
for _, m in ipairs(members) do
  local id, unit = split_member(m)
  if redis.call('HGET', jk(id) .. ':claims', unit) == replica
      and redis.call('HEXISTS', jk(id) .. ':tasks', 'u:' .. unit) == 0 then
    unclaim(id, unit)
    local executor = redis.call('HGET', jk(id), 'executor')
    local deliveries = 0
    if mode == 'dead' or mode == 'restart' then
      deliveries = redis.call('HINCRBY', jk(id) .. ':tasks', 'r:' .. unit, 1)
    end
    if deliveries > max_redeliveries then
      local u = cjson.decode(redis.call('HGET', jk(id) .. ':units', unit))
      end_unit(id, unit, u.t, u.k, lost, 'worker_lost')
      finish_if_done(id, ttl)
      failed = failed + 1
    else
      if mode == 'handback' or mode == 'orphans' then
        redis.call('LPUSH', P .. ':retry:' .. executor, m)
      else
        redis.call('RPUSH', P .. ':retry:' .. executor, m)
      end
      queued(executor, 1)
      redis.call('PUBLISH', P .. ':work', executor)
      requeued = requeued + 1
    end
  end
end
publish_touched()
if mode ~= 'orphans' then
  redis.call('DEL', set)
end
if mode == 'dead' then
  redis.call('ZREM', P .. ':replicas', replica)
end
return { #members, requeued, failed }
