package dev.jobpool.bench;

import dev.jobpool.support.Lifecycle;

/**
 * Where a benchmark is in its life.
 */
enum BenchmarkStatus implements Lifecycle {

	/** Accepted; waits for the benchmark before it to finish. */
	QUEUED,
	/** Its runs are going on, one at a time. */
	RUNNING,
	/** Every run succeeded. */
	SUCCEEDED,
	/** A run's job failed or could not be submitted; the results so far are kept. */
	FAILED,
	/** Cancelled by a request or by the service stopping. */
	CANCELLED;

}
