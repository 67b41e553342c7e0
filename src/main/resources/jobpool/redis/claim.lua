-- Claim at most n units of an executor's work for one replica: units handed back or lost with
-- a replica first, then one unit per job in turn (round robin), never more of a job at once
-- than its concurrency. Returns 6 values per unit: job id, unit, unit JSON, timeout ms,
-- 'first' or 'retry', and '1' if the job was cancelled meanwhile.
local executor, replica, n = ARGV[2], ARGV[3], tonumber(ARGV[4])
local out = {}
local ready = P .. ':ready:' .. executor
local retry = P .. ':retry:' .. executor

local function take(id, unit, attempt)
  redis.call('HSET', jk(id) .. ':claims', unit, replica)
  redis.call('SADD', P .. ':replica:' .. replica .. ':claims', id .. '|' .. unit)
  redis.call('HINCRBY', jk(id), 'inflight', 1)
  local unit_json = redis.call('HGET', jk(id) .. ':units', unit)
  if attempt == 'retry' then
    redis.call('HINCRBY', jk(id) .. ':tasks', 'a:' .. cjson.decode(unit_json).t, 1)
  end
  local j = redis.call('HMGET', jk(id), 'timeoutMs', 'cancel')
  out[#out + 1] = id
  out[#out + 1] = unit
  out[#out + 1] = unit_json
  out[#out + 1] = j[1]
  out[#out + 1] = attempt
  out[#out + 1] = j[2]
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
  local j = redis.call('HMGET', jk(id), 'status', 'next', 'units', 'inflight', 'conc', 'cancel')
  if j[1] and not is_finished(j[1]) and j[6] ~= '1' and tonumber(j[2]) < tonumber(j[3]) then
    if tonumber(j[4]) >= tonumber(j[5]) then
      redis.call('RPUSH', ready, id)
      idle = idle + 1
    else
      local unit = tonumber(j[2])
      redis.call('HINCRBY', jk(id), 'next', 1)
      queued(executor, -1)
      take(id, tostring(unit), 'first')
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
