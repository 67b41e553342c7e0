package dev.jobpool.execution;

import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskOutcome;
import dev.jobpool.task.TaskWork;

/**
 * One task handed to an executor.
 *
 * @param work what to do
 * @param control its deadline (started by the executor when the task starts) and abort
 * switch
 * @param listener told when it starts and ends
 */
public record TaskSubmission(TaskWork work, TaskControl control, TaskListener listener) {

	/**
	 * Report the task as ended, without running it, if it was aborted while it waited
	 * (its job was cancelled). Executors call this as they take a task.
	 * @return {@code true} if the task was aborted and must not run
	 */
	public boolean endIfAborted() {
		TaskControl.AbortReason reason = this.control.abortReason();
		if (reason == null) {
			return false;
		}
		this.listener.finished(TaskOutcome.Failed.of(this.control.failure(reason)), null);
		return true;
	}

}
