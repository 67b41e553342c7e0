-- Many starts and ends of units in one round trip, in the order they happened.
-- ARGV: prefix, retention ms, then 7 values per entry: 's' or 'e', id, unit, task, units of the
-- task, worker JSON (start) or outcome JSON (end), failure code ('' if it succeeded or a start).
-- Returns one value per entry: for a start, the job's wait (ms) if it was its first start, else
-- -1; for an end, recorded + 2 * task ended + 4 * job finished.
local ttl = tonumber(ARGV[2])
local out = {}
-- An end frees a place in its job's concurrency: replicas whose claim found the job full
-- hear of it once per executor, not once per end.
local freed = {}
for at = 3, #ARGV, 7 do
  local kind, id, unit, task = ARGV[at], ARGV[at + 1], ARGV[at + 2], ARGV[at + 3]
  if kind == 's' then
    out[#out + 1] = start_unit(id, unit, task, ARGV[at + 5])
  else
    local r = complete_unit(id, unit, task, ARGV[at + 4], ARGV[at + 5], ARGV[at + 6], ttl)
    out[#out + 1] = r[1] + 2 * r[2] + 4 * r[3]
    if r[1] == 1 and r[3] == 0 then
      local j = redis.call('HMGET', jk(id), 'next', 'units', 'executor')
      if j[1] and tonumber(j[1]) < tonumber(j[2]) then
        freed[j[3]] = true
      end
    end
  end
end
for executor, _ in pairs(freed) do
  redis.call('PUBLISH', P .. ':work', executor)
end
return out
