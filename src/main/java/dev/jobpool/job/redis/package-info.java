/**
 * The shared store ({@code jobpool.store=redis}): jobs, tasks and their events live in
 * Redis (or Valkey), so that several replicas accept, run and show the same jobs, and a
 * job outlives the replica that took it. Every step that must be atomic is one Lua
 * script; replicas claim only what they can start, beat a heartbeat with a TTL, and
 * reclaim the work of those whose heartbeat expired.
 */
@NullMarked
package dev.jobpool.job.redis;

import org.jspecify.annotations.NullMarked;
