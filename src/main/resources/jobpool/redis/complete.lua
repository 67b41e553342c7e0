-- A claimed unit ended. ARGV: prefix, id, unit, task, units of the task, outcome JSON, failure
-- code ('' if it succeeded), retention ms. Returns {recorded, task ended, job finished} (0/1 each).
return complete_unit(ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], tonumber(ARGV[8]))
