-- Read jobs' hashes in one round trip on the shared connection (a Spring Data pipeline would
-- take a connection of its own). ARGV: prefix, 'hashes', ids. Returns each job's hash, in the
-- order of the ids.
local out = {}
for k = 3, #ARGV do
  out[#out + 1] = redis.call('HGETALL', jk(ARGV[k]))
end
return out
