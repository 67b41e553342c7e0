package dev.jobpool.cluster;

/**
 * Where jobs, tasks and their events live.
 */
public enum StoreKind {

	/** In this JVM's memory: nothing to install, nothing shared, lost on a restart. */
	MEMORY,

	/** In a Redis (or Valkey) server that several replicas share. */
	REDIS;

	/**
	 * Return the name used in settings and JSON.
	 * @return the name
	 */
	public String id() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
