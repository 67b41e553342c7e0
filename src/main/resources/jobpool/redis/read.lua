-- Read jobs in one round trip on the shared connection (a pipeline would take a connection of
-- its own). ARGV: prefix, mode, ids. mode 'whole': one job's hash, its tasks' hash and its inputs
-- ({ job, tasks, inputs or false }); mode 'hashes': each job's hash, in the order of the ids.
local mode = ARGV[2]
if mode == 'whole' then
  local id = ARGV[3]
  return { redis.call('HGETALL', jk(id)), redis.call('HGETALL', jk(id) .. ':tasks'),
    redis.call('GET', jk(id) .. ':inputs') }
end
local out = {}
for k = 3, #ARGV do
  out[#out + 1] = redis.call('HGETALL', jk(ARGV[k]))
end
return out
