package dev.jobpool.task;

import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskFailedException;
import dev.jobpool.task.TaskOutcome;

/**
 * How a task ended.
 */
public sealed interface TaskOutcome {

	/**
	 * The task produced a result.
	 *
	 * @param result the sum or the fetch's result
	 */
	record Succeeded(TaskResult result) implements TaskOutcome {
	}

	/**
	 * The task failed, timed out or was cancelled.
	 *
	 * @param code why
	 * @param message what happened, for people
	 */
	record Failed(TaskErrorCode code, String message) implements TaskOutcome {

		/**
		 * Describe a failure.
		 * @param failure the exception the work threw
		 * @return the outcome
		 */
		public static Failed of(TaskFailedException failure) {
			return new Failed(failure.code(), String.valueOf(failure.getMessage()));
		}

	}

}
