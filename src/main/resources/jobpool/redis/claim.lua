-- Claim at most n units of an executor's work for one replica (claim_units in common.lua).
-- ARGV: prefix, executor, replica, n. Returns 6 values per unit.
return claim_units(ARGV[2], ARGV[3], tonumber(ARGV[4]))
