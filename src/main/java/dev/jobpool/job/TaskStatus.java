package dev.jobpool.job;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a task is in its life.
 */
public enum TaskStatus {

	/** Waiting for a worker. */
	QUEUED("queued"),
	/** Running on a worker. */
	RUNNING("running"),
	/** Ended with a result. */
	SUCCEEDED("succeeded"),
	/** Ended with an error (including a timeout). */
	FAILED("failed"),
	/** Stopped because its job was cancelled. */
	CANCELLED("cancelled");

	private final String id;

	TaskStatus(String id) {
		this.id = id;
	}

	/**
	 * Return the name written to JSON.
	 * @return the name
	 */
	@JsonValue
	public String id() {
		return this.id;
	}

}
