package dev.jobpool.job;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.jobpool.execution.Workload;

/**
 * The kinds of job: CPU-bound sums and IO-bound fetches.
 */
public enum JobType {

	/** One task per n: add up 0 … n-1. */
	SUM("sum", Workload.CPU_BOUND),
	/** One task per URL: GET it and read the body to the end. */
	FETCH("fetch", Workload.IO_BOUND);

	private final String id;

	private final Workload workload;

	JobType(String id, Workload workload) {
		this.id = id;
		this.workload = workload;
	}

	/**
	 * Return the name used in JSON, query parameters and metric tags.
	 * @return the name
	 */
	@JsonValue
	public String id() {
		return this.id;
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
		return Arrays.stream(values()).filter((type) -> type.id.equals(id)).findFirst();
	}

}
