-- A claimed unit started on a worker. ARGV: prefix, id, unit, task, worker JSON.
-- Returns how long the job waited (ms) if this was its first start, else -1.
return start_unit(ARGV[2], ARGV[3], ARGV[4], ARGV[5])
