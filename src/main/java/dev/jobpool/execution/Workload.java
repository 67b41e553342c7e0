package dev.jobpool.execution;

/**
 * What a job's tasks mostly wait on: the routing of {@code auto} follows it.
 */
public enum Workload {

	/** The tasks keep a core busy (sums). */
	CPU_BOUND,
	/** The tasks mostly wait for the network (fetches). */
	IO_BOUND

}
