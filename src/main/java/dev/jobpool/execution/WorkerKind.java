package dev.jobpool.execution;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What runs a task: a platform thread, a virtual thread or an operating-system process.
 */
public enum WorkerKind {

	/** A platform (operating-system) thread inside the service. */
	THREAD("thread"),
	/** A virtual thread inside the service. */
	VIRTUAL("virtual"),
	/** A separate worker process. */
	PROCESS("process");

	private final String id;

	WorkerKind(String id) {
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
