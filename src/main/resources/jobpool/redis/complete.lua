-- A claimed unit ended. ARGV: prefix, id, unit, task, units of the task, outcome JSON, failure
-- code ('' if it succeeded), retention ms. Returns {recorded, task ended, job finished} (0/1 each).
local id, unit, task, of, outcome, code, ttl = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], tonumber(ARGV[8])
if redis.call('EXISTS', jk(id)) == 0 then
  return { 0, 0, 0 }
end
local ended = end_unit(id, unit, task, of, outcome, code)
if ended == 0 then
  return { 0, 0, 0 }
end
unclaim(id, unit)
local finished = finish_if_done(id, ttl)
return { 1, (ended == 2) and 1 or 0, finished }
