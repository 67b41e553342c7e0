package dev.jobpool.task;

import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskFailedException;
import dev.jobpool.task.TaskWork;
import dev.jobpool.task.WorkRunner;

/**
 * Runs one task's work in the current thread and returns its result.
 */
@FunctionalInterface
public interface WorkRunner {

	/**
	 * Do the work.
	 * @param work what to do
	 * @param control the task's deadline and abort switch, to poll and to register abort
	 * actions
	 * @return the task's result, written to JSON as it is
	 * @throws TaskFailedException if the task failed for a reason the caller should see
	 */
	TaskResult run(TaskWork work, TaskControl control) throws TaskFailedException;

}
