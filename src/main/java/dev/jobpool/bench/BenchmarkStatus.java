package dev.jobpool.bench;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a benchmark is in its life.
 */
enum BenchmarkStatus {

	/** Accepted; waits for the benchmark before it to finish. */
	QUEUED("queued"),
	/** Its runs are going on, one at a time. */
	RUNNING("running"),
	/** Every run succeeded. */
	SUCCEEDED("succeeded"),
	/** A run's job failed or could not be submitted; the results so far are kept. */
	FAILED("failed"),
	/** Cancelled by a request or by the service stopping. */
	CANCELLED("cancelled");

	private final String id;

	BenchmarkStatus(String id) {
		this.id = id;
	}

	@JsonValue
	String id() {
		return this.id;
	}

	boolean isFinished() {
		return this == SUCCEEDED || this == FAILED || this == CANCELLED;
	}

}
