package dev.jobpool.execution;

import java.util.Optional;

import dev.jobpool.support.Identified;

/**
 * The executors a job can run on. {@code auto} is not one of them: it is a request that
 * the {@link ExecutorRouter} turns into one of these.
 */
public enum ExecutorKind implements Identified {

	/** One thread, each job's tasks one after another: the baseline. */
	SEQUENTIAL(WorkerKind.THREAD),
	/** A shared, bounded pool of platform threads, one per core by default. */
	PLATFORM(WorkerKind.THREAD),
	/** A new virtual thread per task. */
	VIRTUAL(WorkerKind.VIRTUAL),
	/** A pool of long-lived worker processes, one per core by default. */
	PROCESS(WorkerKind.PROCESS),
	/** A fresh worker process per task. */
	SPAWN(WorkerKind.PROCESS);

	private final WorkerKind workerKind;

	ExecutorKind(WorkerKind workerKind) {
		this.workerKind = workerKind;
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
		return Identified.fromId(ExecutorKind.class, id);
	}

}
