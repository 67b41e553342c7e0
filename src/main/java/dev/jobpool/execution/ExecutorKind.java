package dev.jobpool.execution;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The executors a job can run on. {@code auto} is not one of them: it is a request that
 * the {@link ExecutorRouter} turns into one of these.
 */
public enum ExecutorKind {

	/** One thread, each job's tasks one after another: the baseline. */
	SEQUENTIAL("sequential", WorkerKind.THREAD),
	/** A shared, bounded pool of platform threads, one per core by default. */
	PLATFORM("platform", WorkerKind.THREAD),
	/** A new virtual thread per task. */
	VIRTUAL("virtual", WorkerKind.VIRTUAL),
	/** A pool of long-lived worker processes, one per core by default. */
	PROCESS("process", WorkerKind.PROCESS),
	/** A fresh worker process per task. */
	SPAWN("spawn", WorkerKind.PROCESS);

	private final String id;

	private final WorkerKind workerKind;

	ExecutorKind(String id, WorkerKind workerKind) {
		this.id = id;
		this.workerKind = workerKind;
	}

	/**
	 * Return the name used in requests, responses and metric tags.
	 * @return the name, for example {@code "platform"}
	 */
	@JsonValue
	public String id() {
		return this.id;
	}

	/**
	 * Return what kind of worker runs this executor's tasks.
	 * @return the worker kind
	 */
	public WorkerKind workerKind() {
		return this.workerKind;
	}

	/**
	 * Find the executor with the given name.
	 * @param id a name such as {@code "virtual"}
	 * @return the executor kind, or empty if no executor has that name
	 */
	public static Optional<ExecutorKind> fromId(String id) {
		return Arrays.stream(values()).filter((kind) -> kind.id.equals(id)).findFirst();
	}

}
