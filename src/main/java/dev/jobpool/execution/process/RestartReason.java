package dev.jobpool.execution.process;

import dev.jobpool.task.TaskControl;

/**
 * Why a slot's worker process was replaced: the {@code reason} tag of the
 * {@code jobpool.worker.restarts} counter.
 */
enum RestartReason {

	/** The worker died, while it ran a task or while it waited for one. */
	CRASH("crash"),
	/** The worker was killed because its task ran past its deadline. */
	TIMEOUT("timeout"),
	/** The worker was killed because its task's job was cancelled. */
	CANCEL("cancel"),
	/** The worker had run its share of tasks or grown past its memory limit. */
	RECYCLE("recycle"),
	/** The worker had waited a while and did not answer a ping before its next task. */
	UNRESPONSIVE("unresponsive"),
	/** The worker died or did not get ready while it started. */
	START_FAILED("start_failed");

	private final String id;

	RestartReason(String id) {
		this.id = id;
	}

	/**
	 * Return the reason a worker killed for an abort of its task is replaced.
	 * @param reason why the task was aborted
	 * @return the restart reason
	 */
	static RestartReason of(TaskControl.AbortReason reason) {
		return switch (reason) {
			case TIMEOUT -> TIMEOUT;
			case CANCELLED -> CANCEL;
		};
	}

	/**
	 * Return the name used in metric tags.
	 * @return the name, for example {@code "start_failed"}
	 */
	String id() {
		return this.id;
	}

}
