package dev.jobpool.job;

import dev.jobpool.support.Lifecycle;

/**
 * Where a task is in its life.
 */
public enum TaskStatus implements Lifecycle {

	/** Waiting for a worker. */
	QUEUED,
	/** Running on a worker. */
	RUNNING,
	/** Ended with a result. */
	SUCCEEDED,
	/** Ended with an error (including a timeout). */
	FAILED,
	/** Stopped because its job was cancelled. */
	CANCELLED;

}
