package dev.jobpool.job;

import org.jspecify.annotations.Nullable;

import dev.jobpool.execution.ExecutorKind;

/**
 * How many of a job's tasks run at once, what the request asked for, and why the two
 * differ.
 *
 * @param effective most of its tasks that run at once
 * @param requested what the request asked for, or {@code null}
 * @param reason why it is {@code effective}, in words
 */
public record JobConcurrency(int effective, @Nullable Integer requested, String reason) {

	/**
	 * Work out a job's concurrency.
	 * @param kind the executor that runs it
	 * @param size how many tasks the executor runs at once
	 * @param requested the request's {@code concurrency}, or {@code null}
	 * @param units the pieces of work the job was cut into
	 * @param tasks the job's tasks
	 * @return the concurrency and why
	 */
	static JobConcurrency of(ExecutorKind kind, int size, @Nullable Integer requested, int units, int tasks) {
		return of(kind, size, 1, requested, units, tasks);
	}

	/**
	 * Work out a job's concurrency when several replicas share it.
	 * @param kind the executor that runs it
	 * @param size how many tasks the executor runs at once, on all replicas together
	 * @param replicas how many replicas run the executor
	 * @param requested the request's {@code concurrency}, or {@code null}
	 * @param units the pieces of work the job was cut into
	 * @param tasks the job's tasks
	 * @return the concurrency and why
	 */
	static JobConcurrency of(ExecutorKind kind, int size, int replicas, @Nullable Integer requested, int units,
			int tasks) {
		if (kind == ExecutorKind.SEQUENTIAL) {
			return new JobConcurrency(1, requested, "sequential runs one task at a time");
		}
		int workers = workers(kind, size, requested);
		int effective = Math.max(1, Math.min(workers, units));
		String reason;
		if (effective < workers) {
			String noun = (units == tasks) ? ((units == 1) ? " task" : " tasks")
					: ((units == 1) ? " piece of work" : " pieces of work");
			reason = "capped at the job's " + units + noun;
		}
		else if (requested == null) {
			reason = kind.id() + " runs at most " + size + " tasks at once (" + workers(size, replicas) + ")";
		}
		else if (requested > size) {
			reason = kind.id() + " runs at most " + size + " tasks at once (" + workers(size, replicas)
					+ "), fewer than the " + requested + " asked for";
		}
		else {
			reason = "as requested";
		}
		return new JobConcurrency(effective, requested, reason);
	}

	private static String workers(int size, int replicas) {
		return (replicas > 1) ? (size / replicas) + " workers on each of " + replicas + " replicas" : size + " workers";
	}

	/**
	 * Return how many of an executor's workers a job may use at once: one on
	 * {@code sequential}, else the executor's size or the request's, if lower.
	 * @param kind the executor that runs it
	 * @param size how many tasks the executor runs at once
	 * @param requested the request's {@code concurrency}, or {@code null}
	 * @return the workers
	 */
	static int workers(ExecutorKind kind, int size, @Nullable Integer requested) {
		if (kind == ExecutorKind.SEQUENTIAL) {
			return 1;
		}
		return (requested != null) ? Math.min(requested, size) : size;
	}

}
