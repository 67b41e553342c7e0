package dev.jobpool.job;

/**
 * What a watcher of a job hears: each task as it ends, in completion order, then the
 * finished job.
 */
public sealed interface JobEvent {

	/**
	 * A task ended.
	 *
	 * @param task the task as it ended
	 * @param progress the job's progress right after
	 */
	record TaskEnded(JobView.TaskView task, JobView.Progress progress) implements JobEvent {
	}

	/**
	 * The job finished: the last event.
	 *
	 * @param job the finished job
	 */
	record Finished(JobView job) implements JobEvent {
	}

}
