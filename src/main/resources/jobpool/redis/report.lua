-- Many starts and ends of units in one round trip, in the order they happened, and then the
-- claims of the replica that sent them, for the slots those ends freed (as BullMQ's
-- moveToFinished fetches the next job): the next unit starts without a round trip of its own.
-- ARGV: prefix, retention ms, replica, C, then C pairs (executor, most units to claim), then 8
-- values per entry: 's' or 'e', id, unit, task, units of the task, worker JSON (start) or outcome
-- JSON (end), failure code ('' if it succeeded or a start), how long ago it happened (ms).
-- Returns { answers, claims }: one answer per entry (for a start, the job's wait (ms) if it was its
-- first start, else -1; for an end, recorded + 2 * task ended + 4 * job finished), and per claim
-- pair its executor and its units (6 values each, as claim_units returns them).
local ttl, replica, pairs_count = tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local first_entry = 5 + pairs_count * 2
local out = {}
-- An end frees a place in its job's concurrency: replicas whose claim found the job full
-- hear of it once per executor, not once per end.
local freed = {}
for at = first_entry, #ARGV, 8 do
  local kind, id, unit, task = ARGV[at], ARGV[at + 1], ARGV[at + 2], ARGV[at + 3]
  if kind == 's' then
    out[#out + 1] = start_unit(id, unit, task, ARGV[at + 5], tonumber(ARGV[at + 7]))
  else
    local r = complete_unit(id, unit, task, ARGV[at + 4], ARGV[at + 5], ARGV[at + 6], ttl, tonumber(ARGV[at + 7]))
    out[#out + 1] = r[1] + 2 * r[2] + 4 * r[3]
    if r[1] == 1 and r[3] == 0 then
      local j = redis.call('HMGET', jk(id), 'next', 'units', 'executor')
      if j[1] and tonumber(j[1]) < tonumber(j[2]) then
        freed[j[3]] = true
      end
    end
  end
end
local claims = {}
for k = 0, pairs_count - 1 do
  local executor, n = ARGV[5 + k * 2], tonumber(ARGV[6 + k * 2])
  local units = claim_units(executor, replica, n)
  claims[#claims + 1] = executor
  claims[#claims + 1] = units
  -- Took fewer than it could: nothing of this executor is left to claim, so no one need look.
  if #units < n * 6 then
    freed[executor] = nil
  end
end
for executor, _ in pairs(freed) do
  redis.call('PUBLISH', P .. ':work', executor)
end
publish_touched()
return { out, claims }
