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
 * @param rehearsal whether it is a rehearsal (the service's warm-up): it runs in full,
 * but the executor leaves it out of its load, its metrics and its workers' task counts
 */
public record TaskSubmission(TaskWork work, TaskControl control, TaskListener listener, boolean rehearsal) {

	/**
	 * Create a task that the executor counts.
	 * @param work what to do
	 * @param control its deadline and abort switch
	 * @param listener told when it starts and ends
	 */
	public TaskSubmission(TaskWork work, TaskControl control, TaskListener listener) {
		this(work, control, listener, false);
	}

	/**
	 * Return the same task as a rehearsal, which the executor runs without counting it.
	 * @return the rehearsal
	 */
	public TaskSubmission asRehearsal() {
		return new TaskSubmission(this.work, this.control, this.listener, true);
	}

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
