-- Many starts and ends of units in one round trip, in the order they happened, and then the
-- claims of the replica that sent them, for the slots those ends freed (as BullMQ's
-- moveToFinished fetches the next job): the next unit starts without a round trip of its own.
-- ARGV: prefix, retention ms, replica, C, then C pairs (executor, most units to claim), W, then W
-- job ids whose whole state the replica wants back should this report finish them, then 8
-- values per entry: 's' or 'e', id, unit, task, units of the task, worker JSON (start) or outcome
-- JSON (end), failure code ('' if it succeeded or a start), how long ago it happened (ms).
-- Returns { answers, claims, wholes }: one answer per entry (for a start, the job's wait (ms) if it
-- was its first start, else -1; for an end, recorded + 2 * task ended + 4 * job finished), per claim
-- pair its executor and its units (6 values each, as claim_units returns them), and per wanted job
-- of at most 1,000 tasks this report finished its id and { job hash, tasks hash, inputs } (so that
-- a ?wait answers without reading the job again).
local ttl, replica, pairs_count = tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
origin = replica
local wanted_count = tonumber(ARGV[5 + pairs_count * 2])
local first_entry = 6 + pairs_count * 2 + wanted_count
local finished_here = {}
local out = {}
-- An end frees a place in its job's concurrency: once this replica has claimed, the others hear
-- of what is left to claim, once per executor.
local freed, freed_order = {}, {}
-- Per job: whether it still exists, the answer of its last end recorded here and when that end
-- happened; each job is finished (if every task has ended) once, after all its ends.
local exists, last_end, last_at, ended_order = {}, {}, {}, {}
deferring = true
for at = first_entry, #ARGV, 8 do
  local kind, id, unit, task = ARGV[at], ARGV[at + 1], ARGV[at + 2], ARGV[at + 3]
  if kind == 's' then
    out[#out + 1] = start_unit(id, unit, task, ARGV[at + 5], tonumber(ARGV[at + 7]))
  else
    if exists[id] == nil then
      exists[id] = redis.call('EXISTS', jk(id))
    end
    local answer = 0
    if exists[id] == 1 then
      local t = now_ms() - tonumber(ARGV[at + 7])
      local ended = end_unit(id, unit, task, ARGV[at + 4], ARGV[at + 5], ARGV[at + 6], t)
      if ended > 0 then
        unclaim(id, unit)
        answer = 1 + ((ended == 2) and 2 or 0)
        if not last_end[id] then
          ended_order[#ended_order + 1] = id
        end
        last_end[id], last_at[id] = #out + 1, t
        if not freed[id] then
          freed[id] = true
          freed_order[#freed_order + 1] = id
        end
      end
    end
    out[#out + 1] = answer
  end
end
flush_pending()
for _, id in ipairs(ended_order) do
  if finish_if_done(id, ttl, last_at[id]) == 1 then
    out[last_end[id]] = out[last_end[id]] + 4
    finished_here[id] = true
  end
end
local claims = {}
for k = 0, pairs_count - 1 do
  local executor, n = ARGV[5 + k * 2], tonumber(ARGV[6 + k * 2])
  claims[#claims + 1] = executor
  claims[#claims + 1] = claim_units(executor, replica, n)
end
local published = {}
for _, id in ipairs(freed_order) do
  publish_if_claimable(id, published)
end
local wholes = {}
for k = 6 + pairs_count * 2, first_entry - 1 do
  local id = ARGV[k]
  -- A large job's answer is read as any other; a small one comes back with the report.
  if finished_here[id] and tonumber(redis.call('HGET', jk(id), 'tasks') or '0') <= 1000 then
    wholes[#wholes + 1] = id
    wholes[#wholes + 1] = { redis.call('HGETALL', jk(id)), redis.call('HGETALL', jk(id) .. ':tasks'),
      redis.call('GET', jk(id) .. ':inputs') }
  end
end
publish_touched()
return { out, claims, wholes }
