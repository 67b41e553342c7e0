package dev.jobpool.execution;

import java.time.Duration;
import java.util.List;

/**
 * Runs tasks on one kind of worker. Implementations are bounded: at most {@link #size()}
 * tasks run at once, the rest wait in a bounded queue.
 */
public interface TaskExecutor {

	/**
	 * Return which executor this is.
	 * @return the kind
	 */
	ExecutorKind kind();

	/**
	 * Return how many tasks can run at once.
	 * @return the number of workers or permits
	 */
	int size();

	/**
	 * Return the counters of queued, active and completed tasks.
	 * @return the load
	 */
	ExecutorLoad load();

	/**
	 * Return the executor's worker processes, for executors that have them.
	 * @return the workers, empty for thread executors
	 */
	default List<WorkerStatus> workers() {
		return List.of();
	}

	/**
	 * Get ready for the first tasks, once the service is up: executors with worker
	 * processes start them here. Does nothing by default.
	 */
	default void warmUp() {
	}

	/**
	 * Run a task when a worker is free. Never blocks; the listener hears of the outcome,
	 * also when the executor cannot run the task.
	 * @param submission the task
	 */
	void submit(TaskSubmission submission);

	/**
	 * Stop taking tasks, let running ones finish within the grace period, then interrupt
	 * the rest.
	 * @param grace how long to wait for running tasks
	 */
	void shutdown(Duration grace);

}
