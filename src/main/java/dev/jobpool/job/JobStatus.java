package dev.jobpool.job;

import java.util.Optional;

import dev.jobpool.support.Identified;
import dev.jobpool.support.Lifecycle;

/**
 * Where a job is in its life.
 */
public enum JobStatus implements Lifecycle {

	/** Accepted; no task has started yet. */
	QUEUED,
	/** At least one task has started and the job has not finished. */
	RUNNING,
	/** Every task succeeded. */
	SUCCEEDED,
	/** Every task ended and at least one failed. */
	FAILED,
	/** Cancelled by a request or by the service stopping. */
	CANCELLED;

	/**
	 * Find the status with the given name.
	 * @param id a name such as {@code running}
	 * @return the status, or empty
	 */
	public static Optional<JobStatus> fromId(String id) {
		return Identified.fromId(JobStatus.class, id);
	}

}
