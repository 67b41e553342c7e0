package dev.jobpool.execution;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.jobpool.task.TaskOutcome;

/**
 * Told by an executor when a task it was given starts and when it ends. Each method is
 * called at most once per task, {@code started} before {@code finished}; a task cancelled
 * before it started gets only {@code finished}.
 */
public interface TaskListener {

	/**
	 * The task started on a worker; its deadline clock is running.
	 * @param worker who runs it
	 */
	void started(WorkerInfo worker);

	/**
	 * The task's worker died and the task runs again, once, on a fresh one; its deadline
	 * runs on.
	 * @param worker who runs it now
	 */
	default void retried(WorkerInfo worker) {
	}

	/**
	 * The task ended.
	 * @param outcome how it ended
	 * @param cpuTime the CPU time the task used, where it can be measured
	 */
	void finished(TaskOutcome outcome, @Nullable Duration cpuTime);

}
