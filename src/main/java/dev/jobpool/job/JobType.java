package dev.jobpool.job;

import java.util.Optional;

import dev.jobpool.execution.Workload;
import dev.jobpool.support.Identified;

/**
 * The kinds of job: CPU-bound sums and IO-bound fetches.
 */
public enum JobType implements Identified {

	/** One task per n: add up 0 … n-1. */
	SUM(Workload.CPU_BOUND),
	/** One task per URL: GET it and read the body to the end. */
	FETCH(Workload.IO_BOUND);

	private final Workload workload;

	JobType(Workload workload) {
		this.workload = workload;
	}

	/**
	 * Return what this type's tasks wait on.
	 * @return the workload
	 */
	public Workload workload() {
		return this.workload;
	}

	/**
	 * Find the type with the given name.
	 * @param id {@code sum} or {@code fetch}
	 * @return the type, or empty
	 */
	public static Optional<JobType> fromId(String id) {
		return Identified.fromId(JobType.class, id);
	}

}
