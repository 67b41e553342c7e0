/**
 * The replicas of the service: which one this is, which store they share, the heartbeat
 * settings, and {@code GET /api/cluster}.
 */
@NullMarked
package dev.jobpool.cluster;

import org.jspecify.annotations.NullMarked;
