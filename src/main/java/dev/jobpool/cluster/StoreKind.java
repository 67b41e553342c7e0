package dev.jobpool.cluster;

import dev.jobpool.support.Identified;

/**
 * Where jobs, tasks and their events live.
 */
public enum StoreKind implements Identified {

	/** In this JVM's memory: nothing to install, nothing shared, lost on a restart. */
	MEMORY,

	/** In a Redis (or Valkey) server that several replicas share. */
	REDIS

}
