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

-- A whole number as text. Lua writes any number as a double (tostring, .., the arguments of
-- redis.call), and that formatting took 5 % of Redis's time for a job of 10,000 URLs.
local function whole(n)
  return string.format('%d', n)
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

-- What a report (or a cancel) changes of a job that nothing in the same script reads back before
-- flush_pending: most of a report's ends are one job's, so each counter, the tasks' end times and
-- workers, the events and the claims given up are written once per job, not once per end. A job
-- gets pending changes only once the script has seen that it exists.
local deferring = false
local pending, pending_order = {}, {}

local function pending_of(id)
  local p = pending[id]
  if not p then
    p = { counts = {}, count_order = {}, task_fields = {}, events = {}, busy = {}, unclaimed = {} }
    pending[id] = p
    pending_order[#pending_order + 1] = id
  end
  return p
end

local function incr(id, field, by)
  if not deferring then
    redis.call('HINCRBY', jk(id), field, whole(by))
    return
  end
  local p = pending_of(id)
  if not p.counts[field] then
    p.counts[field] = 0
    p.count_order[#p.count_order + 1] = field
  end
  p.counts[field] = p.counts[field] + by
end

-- A job's count of ended, failed or cancelled tasks, with what the script has not written yet.
local function counter(id, field)
  if not deferring then
    return tonumber(redis.call('HGET', jk(id), field) or '0')
  end
  local p = pending_of(id)
  if not p.base then
    local b = redis.call('HMGET', jk(id), 'ended', 'failed', 'cancelled')
    p.base = { ended = tonumber(b[1] or '0'), failed = tonumber(b[2] or '0'), cancelled = tonumber(b[3] or '0') }
  end
  return p.base[field] + (p.counts[field] or 0)
end

local function bump(id, field)
  if not deferring then
    return redis.call('HINCRBY', jk(id), field, '1')
  end
  counter(id, field)
  incr(id, field, 1)
  return counter(id, field)
end

local function set_task_field(id, field, value)
  if not deferring then
    redis.call('HSET', jk(id) .. ':tasks', field, value)
    return
  end
  local f = pending_of(id).task_fields
  f[#f + 1] = field
  f[#f + 1] = value
end

local function push_event(id, event)
  if not deferring then
    redis.call('RPUSH', jk(id) .. ':events', event)
    return
  end
  local e = pending_of(id).events
  e[#e + 1] = event
end

-- One command per at most 1,000 arguments after the key (Lua's unpack has a limit); returns the
-- replies, one list, when the command answers one value per argument.
local function chunked(command, key, args)
  local replies = {}
  for first = 1, #args, 1000 do
    local reply = redis.call(command, key, unpack(args, first, math.min(first + 999, #args)))
    if type(reply) == 'table' then
      for _, value in ipairs(reply) do
        replies[#replies + 1] = value
      end
    end
  end
  return replies
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

-- What a succeeded unit's outcome gives the job's summary: a sum's total, or a fetch's status
-- code and bytes. An outcome begins as RedisCodec writes it, {"sum":"…" or
-- {"fetch":{"status":…,"bytes":…, and a pattern reads that beginning: decoding the whole JSON
-- took 8 % of Redis's time for a job of 10,000 URLs. Any other outcome is decoded.
local function summary_of(outcome)
  local sum = string.match(outcome, '^{"sum":"(%d+)"')
  if sum then
    return sum
  end
  local status, bytes = string.match(outcome, '^{"fetch":{"status":(%d+),"bytes":(%d+),')
  if status then
    return nil, status, bytes
  end
  local o = cjson.decode(outcome)
  if o.fetch then
    return o.sum, o.fetch.status, o.fetch.bytes
  end
  return o.sum
end

-- What the job's summary keeps of a unit that succeeded: a sum's running total, a fetch's bytes
-- and status code.
local function summarize(id, outcome)
  local sum, status, bytes = summary_of(outcome)
  if sum then
    if deferring then
      local p = pending_of(id)
      p.total = add_decimal(p.total or '0', sum)
    else
      local total = redis.call('HGET', jk(id), 'total') or '0'
      redis.call('HSET', jk(id), 'total', add_decimal(total, sum))
    end
  elseif status then
    incr(id, 'ok', 1)
    incr(id, 'bytes', tonumber(bytes))
    incr(id, 'sc:' .. status, 1)
  end
end

-- A task ended at t (ms): the job's busy time gains t less the task's first start.
local function add_busy(id, task, t)
  if deferring then
    local b = pending_of(id).busy
    b[#b + 1] = task
    b[#b + 1] = t
    return
  end
  local started = redis.call('HGET', jk(id) .. ':tasks', 's:' .. task)
  if started then
    incr(id, 'busyMs', t - tonumber(started))
  end
end

-- Record how one unit ended. The first end wins: a unit that ran twice (its replica was
-- thought dead) records one outcome. Returns 0 for a repeat, 1 if recorded, 2 if that ended
-- its task too. of: the task's number of units. at: when it ended (ms on Redis's clock), if not now.
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
  local first_code
  if tonumber(of) == 1 then
    -- The task's only unit: its first end is this one, so its code is this end's.
    set_task_field(id, 'e:' .. task, '1')
    if code ~= '' then
      first_code = code
    end
  else
    if redis.call('HINCRBY', tk, 'e:' .. task, 1) < tonumber(of) then
      return 1
    end
    first_code = redis.call('HGET', tk, 'c:' .. task)
  end
  local t = at or now_ms()
  set_task_field(id, 'd:' .. task, whole(t))
  add_busy(id, task, t)
  if first_code == 'cancelled' then
    bump(id, 'cancelled')
  elseif first_code then
    bump(id, 'failed')
  end
  local ended = bump(id, 'ended')
  push_event(id, string.format('%s|%d|%d|%d', task, ended, counter(id, 'failed'), counter(id, 'cancelled')))
  touch(id)
  return 2
end

-- Forget who holds a unit; returns the holder, if any (when deferring, flush_pending forgets it
-- and returns nothing).
local function unclaim(id, unit)
  if deferring then
    local u = pending_of(id).unclaimed
    u[#u + 1] = unit
    return nil
  end
  local owner = redis.call('HGET', jk(id) .. ':claims', unit)
  if owner then
    redis.call('HDEL', jk(id) .. ':claims', unit)
    redis.call('SREM', P .. ':replica:' .. owner .. ':claims', id .. '|' .. unit)
    incr(id, 'inflight', -1)
  end
  return owner
end

-- Write what was deferred, job by job, and stop deferring.
local function flush_pending()
  for _, id in ipairs(pending_order) do
    local p = pending[id]
    if #p.unclaimed > 0 then
      local owners = chunked('HMGET', jk(id) .. ':claims', p.unclaimed)
      local held, members, owner_order = {}, {}, {}
      for k, unit in ipairs(p.unclaimed) do
        local owner = owners[k]
        if owner then
          held[#held + 1] = unit
          if not members[owner] then
            members[owner] = {}
            owner_order[#owner_order + 1] = owner
          end
          members[owner][#members[owner] + 1] = id .. '|' .. unit
        end
      end
      if #held > 0 then
        chunked('HDEL', jk(id) .. ':claims', held)
        for _, owner in ipairs(owner_order) do
          chunked('SREM', P .. ':replica:' .. owner .. ':claims', members[owner])
        end
        incr(id, 'inflight', -#held)
      end
    end
    if #p.busy > 0 then
      local fields = {}
      for k = 1, #p.busy, 2 do
        fields[#fields + 1] = 's:' .. p.busy[k]
      end
      local starts = chunked('HMGET', jk(id) .. ':tasks', fields)
      local busy = 0
      for k = 1, #fields do
        if starts[k] then
          busy = busy + p.busy[k * 2] - tonumber(starts[k])
        end
      end
      incr(id, 'busyMs', busy)
    end
    if #p.task_fields > 0 then
      chunked('HSET', jk(id) .. ':tasks', p.task_fields)
    end
    if #p.events > 0 then
      chunked('RPUSH', jk(id) .. ':events', p.events)
    end
    if p.total then
      redis.call('HSET', jk(id), 'total', add_decimal(redis.call('HGET', jk(id), 'total') or '0', p.total))
    end
    for _, field in ipairs(p.count_order) do
      if p.counts[field] ~= 0 then
        redis.call('HINCRBY', jk(id), field, whole(p.counts[field]))
      end
    end
  end
  pending, pending_order = {}, {}
  deferring = false
end

local function queued(executor, delta)
  redis.call('HINCRBY', P .. ':queued', executor, delta)
  redis.call('HINCRBY', P .. ':queued', 'total', delta)
end

local function split_member(m)
  local sep = string.find(m, '|', 1, true)
  return string.sub(m, 1, sep - 1), string.sub(m, sep + 1)
end

-- The fields start_unit reads of each job, once per script (it alone changes them in a report).
local start_fields = {}

-- A claimed unit started on a worker ago ms before now: the task's start and worker, and the
-- job's start. Returns how long the job waited (ms) if this was its first start, else -1.
local function start_unit(id, unit, task, worker, ago)
  local tk = jk(id) .. ':tasks'
  local j = start_fields[id]
  if not j then
    j = redis.call('HMGET', jk(id), 'status', 'submittedAt', 'startedAt')
    start_fields[id] = j
  end
  if not j[1] or redis.call('HEXISTS', tk, 'u:' .. unit) == 1 then
    return -1
  end
  local t = now_ms() - ago
  redis.call('HSETNX', tk, 's:' .. task, whole(t))
  set_task_field(id, 'w:' .. task, worker)
  if j[3] then
    return -1
  end
  j[3] = t
  if j[1] == 'queued' then
    j[1] = 'running'
    redis.call('HSET', jk(id), 'startedAt', t, 'status', 'running')
  else
    redis.call('HSET', jk(id), 'startedAt', t)
  end
  return math.max(0, t - tonumber(j[2]))
end

-- Claim at most n units of an executor's work for one replica: units handed back or lost with
-- a replica first, then one unit per job in turn (round robin), never more of a job at once
-- than its concurrency; a job alone in line gives all it can at once. Returns 6 values per unit:
-- job id, unit, unit JSON, timeout ms, 'first', 'alone' (first, and its job was alone in line with
-- units left) or 'retry', and '1' if the job was cancelled meanwhile.
local function claim_units(executor, replica, n)
  local out = {}
  if n <= 0 then
    return out
  end
  local ready = P .. ':ready:' .. executor
  local retry = P .. ':retry:' .. executor
  local set = P .. ':replica:' .. replica .. ':claims'

  -- Units (strings) of one job; timeout and cancel: the job's fields, when the caller read them.
  local function take(id, units, attempt, timeout, cancel)
    local claims, members = {}, {}
    for k, unit in ipairs(units) do
      claims[#claims + 1] = unit
      claims[#claims + 1] = replica
      members[k] = id .. '|' .. unit
    end
    chunked('HSET', jk(id) .. ':claims', claims)
    chunked('SADD', set, members)
    redis.call('HINCRBY', jk(id), 'inflight', #units)
    local unit_json = chunked('HMGET', jk(id) .. ':units', units)
    if attempt == 'retry' then
      redis.call('HINCRBY', jk(id) .. ':tasks', 'a:' .. cjson.decode(unit_json[1]).t, 1)
    end
    if not timeout then
      local j = redis.call('HMGET', jk(id), 'timeoutMs', 'cancel')
      timeout, cancel = j[1], j[2]
    end
    for k, unit in ipairs(units) do
      out[#out + 1] = id
      out[#out + 1] = unit
      out[#out + 1] = unit_json[k]
      out[#out + 1] = timeout
      out[#out + 1] = attempt
      out[#out + 1] = cancel
    end
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
      take(id, { unit }, 'retry')
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
        local first, units = tonumber(j[2]), tonumber(j[3])
        local count = 1
        -- Alone: nothing else waits in line behind it (what waited before it was taken or dropped).
        local alone = redis.call('LLEN', ready) == 0
        if alone then
          count = math.min(n - #out / 6, units - first, tonumber(j[5]) - tonumber(j[4]))
        end
        local taken = {}
        for u = first, first + count - 1 do
          taken[#taken + 1] = whole(u)
        end
        redis.call('HINCRBY', jk(id), 'next', count)
        queued(executor, -count)
        -- 'alone': the job was alone in line and has units left, which the next claim gives.
        take(id, taken, (alone and first + count < units) and 'alone' or 'first', j[7], j[6])
        if first + count < units then
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
