package dev.jobpool.support;

/**
 * Where a piece of work (a job, a task, a benchmark) is in its life: an enum of exactly
 * {@code QUEUED}, {@code RUNNING}, {@code SUCCEEDED}, {@code FAILED} and
 * {@code CANCELLED}. The last three are its ends.
 */
public interface Lifecycle extends Identified {

	/**
	 * Return whether the work has ended.
	 * @return {@code true} for succeeded, failed and cancelled
	 */
	default boolean isFinished() {
		return switch (name()) {
			case "QUEUED", "RUNNING" -> false;
			default -> true;
		};
	}

}
