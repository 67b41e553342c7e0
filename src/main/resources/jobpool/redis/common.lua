-- Shared by every script: key names, Redis's clock, and the steps that end a unit of work.
-- Keys are built from the prefix (ARGV[1]); the service runs on one Redis (or Valkey) server.
local P = ARGV[1]

-- Read once per script: a script runs at one instant as far as the replicas can tell.
local now_cached

local function now_ms()
  if not now_cached then
    local t = redis.call('TIME')
    now_cached = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  end
  return now_cached
end

local function jk(id)
  return P .. ':job:' .. id
end

local function is_finished(status)
  return status == 'succeeded' or status == 'failed' or status == 'cancelled'
end

-- Jobs whose events changed in this script: each gets one message at its end (publish_touched),
-- however many of its tasks ended, so that a batch of ends wakes each watcher once.
local touched, touched_order = {}, {}
-- The replica whose report this script is, if it is one: its message says so, and that replica's
-- watchers, told by the report's answer, let it go.
local origin


local function touch(id)
  if not touched[id] then
    touched[id] = true
    touched_order[#touched_order + 1] = id
  end
end

local function publish_touched()
  for _, id in ipairs(touched_order) do
    redis.call('PUBLISH', P .. ':events', origin and (id .. '|' .. origin) or id)
  end
end

-- Counters of a job's hash that nothing in the script reads back before flush_counts: a report
-- adds them up over its ends and writes each once per job (most of a report's ends are one job's).
local deferring = false
local pending, pending_order = {}, {}

local function incr(id, field, by)
  if not deferring then
    redis.call('HINCRBY', jk(id), field, by)
    return
  end
  local p = pending[id]
  if not p then
    p = { fields = {}, order = {} }
    pending[id] = p
    pending_order[#pending_order + 1] = id
  end
  if not p.fields[field] then
    p.fields[field] = 0
    p.order[#p.order + 1] = field
  end
  p.fields[field] = p.fields[field] + by
end

local function flush_counts()
  for _, id in ipairs(pending_order) do
    local p = pending[id]
    for _, field in ipairs(p.order) do
      if p.fields[field] ~= 0 then
        redis.call('HINCRBY', jk(id), field, p.fields[field])
      end
    end
  end
  pending, pending_order = {}, {}
  deferring = false
end

local JOB_SUFFIXES = { '', ':units', ':tasks', ':events', ':claims', ':inputs' }

local function delete_job(id)
  for _, suffix in ipairs(JOB_SUFFIXES) do
    redis.call('DEL', jk(id) .. suffix)
  end
  redis.call('ZREM', P .. ':jobs', id)
  redis.call('ZREM', P .. ':finished', id)
end

-- Once every task has ended and nothing runs, the job takes its final status, its event list
-- gets its last entry, and all its keys expire after the retention (ttl, ms). at: when the last
-- unit ended (ms on Redis's clock), if not now.
local function finish_if_done(id, ttl, at)
  local j = redis.call('HMGET', jk(id), 'tasks', 'ended', 'inflight', 'status', 'cancel', 'failed')
  if not j[1] or tonumber(j[2]) < tonumber(j[1]) or tonumber(j[3]) > 0 or is_finished(j[4]) then
    return 0
  end
  local status
  if j[5] == '1' then
    status = 'cancelled'
  elseif tonumber(j[6]) > 0 then
    status = 'failed'
  else
    status = 'succeeded'
  end
  local t = at or now_ms()
  redis.call('HSET', jk(id), 'status', status, 'finishedAt', t)
  redis.call('HSETNX', jk(id), 'startedAt', t)
  redis.call('RPUSH', jk(id) .. ':events', 'end')
  redis.call('DEL', jk(id) .. ':units', jk(id) .. ':claims')
  redis.call('ZADD', P .. ':finished', t, id)
  if redis.call('HEXISTS', jk(id), 'cbUrl') == 1 then
    redis.call('ZADD', P .. ':callbacks', t, id)
  end
  for _, suffix in ipairs(JOB_SUFFIXES) do
    redis.call('PEXPIRE', jk(id) .. suffix, ttl)
  end
  touch(id)
  return 1
end

-- Adds two non-negative whole numbers written in decimal: sums pass 2^63, Lua's numbers do not.
local function add_decimal(a, b)
  local out, carry = {}, 0
  local i, j = #a, #b
  while i > 0 or j > 0 or carry > 0 do
    local d = carry
    if i > 0 then d = d + string.byte(a, i) - 48 end
    if j > 0 then d = d + string.byte(b, j) - 48 end
    out[#out + 1] = string.char(48 + d % 10)
    carry = math.floor(d / 10)
    i, j = i - 1, j - 1
  end
  return string.reverse(table.concat(out))
end

-- What the job's summary keeps of a unit that succeeded: a sum's running total, a fetch's bytes
-- and status code.
local function summarize(id, outcome)
  local o = cjson.decode(outcome)
  if o.sum then
    local total = redis.call('HGET', jk(id), 'total') or '0'
    redis.call('HSET', jk(id), 'total', add_decimal(total, o.sum))
  elseif o.fetch then
    incr(id, 'ok', 1)
    incr(id, 'bytes', o.fetch.bytes)
    incr(id, 'sc:' .. o.fetch.status, 1)
  end
end

-- Record how one unit ended. The first end wins: a unit that ran twice (its replica was
-- thought dead) records one outcome. Returns 0 for a repeat, 1 if recorded, 2 if that ended
-- its task too. at: when it ended (ms on Redis's clock), if not now.
local function end_unit(id, unit, task, of, outcome, code, at)
  local tk = jk(id) .. ':tasks'
  if redis.call('HSETNX', tk, 'u:' .. unit, outcome) == 0 then
    return 0
  end
  if code ~= '' then
    redis.call('HSETNX', tk, 'f:' .. task, outcome)
    redis.call('HSETNX', tk, 'c:' .. task, code)
  else
    summarize(id, outcome)
  end
  local ended_units = redis.call('HINCRBY', tk, 'e:' .. task, 1)
  if ended_units < tonumber(of) then
    return 1
  end
  local t = at or now_ms()
  redis.call('HSET', tk, 'd:' .. task, t)
  local started = redis.call('HGET', tk, 's:' .. task)
  if started then
    incr(id, 'busyMs', t - tonumber(started))
  end
  local first_code = redis.call('HGET', tk, 'c:' .. task)
  if first_code == 'cancelled' then
    redis.call('HINCRBY', jk(id), 'cancelled', 1)
  elseif first_code then
    redis.call('HINCRBY', jk(id), 'failed', 1)
  end
  local ended = redis.call('HINCRBY', jk(id), 'ended', 1)
  local counts = redis.call('HMGET', jk(id), 'failed', 'cancelled')
  redis.call('RPUSH', jk(id) .. ':events', task .. '|' .. ended .. '|' .. counts[1] .. '|' .. counts[2])
  touch(id)
  return 2
end

-- Forget who holds a unit; returns the holder, if any.
local function unclaim(id, unit)
  local owner = redis.call('HGET', jk(id) .. ':claims', unit)
  if owner then
    redis.call('HDEL', jk(id) .. ':claims', unit)
    redis.call('SREM', P .. ':replica:' .. owner .. ':claims', id .. '|' .. unit)
    incr(id, 'inflight', -1)
  end
  return owner
end

local function queued(executor, delta)
  redis.call('HINCRBY', P .. ':queued', executor, delta)
  redis.call('HINCRBY', P .. ':queued', 'total', delta)
end

local function split_member(m)
  local sep = string.find(m, '|', 1, true)
  return string.sub(m, 1, sep - 1), string.sub(m, sep + 1)
end

-- A claimed unit started on a worker ago ms before now: the task's start and worker, and the
-- job's start. Returns how long the job waited (ms) if this was its first start, else -1.
local function start_unit(id, unit, task, worker, ago)
  local tk = jk(id) .. ':tasks'
  local j = redis.call('HMGET', jk(id), 'status', 'submittedAt', 'startedAt')
  if not j[1] or redis.call('HEXISTS', tk, 'u:' .. unit) == 1 then
    return -1
  end
  local t = now_ms() - ago
  redis.call('HSETNX', tk, 's:' .. task, t)
  redis.call('HSET', tk, 'w:' .. task, worker)
  if j[3] then
    return -1
  end
  if j[1] == 'queued' then
    redis.call('HSET', jk(id), 'startedAt', t, 'status', 'running')
  else
    redis.call('HSET', jk(id), 'startedAt', t)
  end
  return math.max(0, t - tonumber(j[2]))
end

-- Claim at most n units of an executor's work for one replica: units handed back or lost with
-- a replica first, then one unit per job in turn (round robin), never more of a job at once
-- than its concurrency. Returns 6 values per unit: job id, unit, unit JSON, timeout ms,
-- 'first' or 'retry', and '1' if the job was cancelled meanwhile.
local function claim_units(executor, replica, n)
  local out = {}
  if n <= 0 then
    return out
  end
  local ready = P .. ':ready:' .. executor
  local retry = P .. ':retry:' .. executor

  -- timeout and cancel: the job's fields, when the caller read them already.
  local function take(id, unit, attempt, timeout, cancel)
    redis.call('HSET', jk(id) .. ':claims', unit, replica)
    redis.call('SADD', P .. ':replica:' .. replica .. ':claims', id .. '|' .. unit)
    redis.call('HINCRBY', jk(id), 'inflight', 1)
    local unit_json = redis.call('HGET', jk(id) .. ':units', unit)
    if attempt == 'retry' then
      redis.call('HINCRBY', jk(id) .. ':tasks', 'a:' .. cjson.decode(unit_json).t, 1)
    end
    if not timeout then
      local j = redis.call('HMGET', jk(id), 'timeoutMs', 'cancel')
      timeout, cancel = j[1], j[2]
    end
    out[#out + 1] = id
    out[#out + 1] = unit
    out[#out + 1] = unit_json
    out[#out + 1] = timeout
    out[#out + 1] = attempt
    out[#out + 1] = cancel
  end

  while #out < n * 6 do
    local m = redis.call('LPOP', retry)
    if not m then
      break
    end
    queued(executor, -1)
    local id, unit = split_member(m)
    if redis.call('EXISTS', jk(id) .. ':units') == 1 and redis.call('HEXISTS', jk(id) .. ':tasks', 'u:' .. unit) == 0
        and redis.call('HEXISTS', jk(id) .. ':claims', unit) == 0 then
      take(id, unit, 'retry')
    end
  end

  local len = redis.call('LLEN', ready)
  local idle = 0
  while #out < n * 6 and idle < len do
    local id = redis.call('LPOP', ready)
    if not id then
      break
    end
    local j = redis.call('HMGET', jk(id), 'status', 'next', 'units', 'inflight', 'conc', 'cancel', 'timeoutMs')
    if j[1] and not is_finished(j[1]) and j[6] ~= '1' and tonumber(j[2]) < tonumber(j[3]) then
      if tonumber(j[4]) >= tonumber(j[5]) then
        redis.call('RPUSH', ready, id)
        idle = idle + 1
      else
        local unit = tonumber(j[2])
        redis.call('HINCRBY', jk(id), 'next', 1)
        queued(executor, -1)
        take(id, tostring(unit), 'first', j[7], j[6])
        if unit + 1 < tonumber(j[3]) then
          redis.call('RPUSH', ready, id)
        else
          len = len - 1
        end
        idle = 0
      end
    else
      len = len - 1
    end
  end
  return out
end

-- Tell the replicas of an executor that some of a job's units can be claimed now: only when
-- they can (units left, and a place free in the job's concurrency), so that no claim goes for
-- nothing. published: executors told already in this script.
local function publish_if_claimable(id, published)
  local j = redis.call('HMGET', jk(id), 'next', 'units', 'inflight', 'conc', 'executor', 'cancel')
  if j[1] and j[6] ~= '1' and tonumber(j[1]) < tonumber(j[2]) and tonumber(j[3]) < tonumber(j[4])
      and not published[j[5]] then
    published[j[5]] = true
    redis.call('PUBLISH', P .. ':work', j[5])
  end
end
