package dev.jobpool.job;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a job is in its life.
 */
public enum JobStatus {

	/** Accepted; no task has started yet. */
	QUEUED("queued"),
	/** At least one task has started and the job has not finished. */
	RUNNING("running"),
	/** Every task succeeded. */
	SUCCEEDED("succeeded"),
	/** Every task ended and at least one failed. */
	FAILED("failed"),
	/** Cancelled by a request or by the service stopping. */
	CANCELLED("cancelled");

	private final String id;

	JobStatus(String id) {
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

	/**
	 * Return whether the job has ended.
	 * @return {@code true} for succeeded, failed and cancelled
	 */
	public boolean isFinished() {
		return this == SUCCEEDED || this == FAILED || this == CANCELLED;
	}

	/**
	 * Find the status with the given name.
	 * @param id a name such as {@code running}
	 * @return the status, or empty
	 */
	public static Optional<JobStatus> fromId(String id) {
		return Arrays.stream(values()).filter((status) -> status.id.equals(id)).findFirst();
	}

}
