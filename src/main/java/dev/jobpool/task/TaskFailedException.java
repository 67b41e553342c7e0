package dev.jobpool.task;

import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskFailedException;

/**
 * Thrown by a task's work when it fails for a reason the caller should see: carries the
 * {@link TaskErrorCode} and a message that goes into the task's {@code error}.
 */
public class TaskFailedException extends Exception {

	private final TaskErrorCode code;

	public TaskFailedException(TaskErrorCode code, String message) {
		super(message);
		this.code = code;
	}

	public TaskFailedException(TaskErrorCode code, String message, Throwable cause) {
		super(message, cause);
		this.code = code;
	}

	/**
	 * Return why the task failed.
	 * @return the error code
	 */
	public TaskErrorCode code() {
		return this.code;
	}

}
