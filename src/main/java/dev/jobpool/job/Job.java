package dev.jobpool.job;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An accepted job as callers see it, whichever store keeps it: its id, its state as a
 * view, its events in the order its tasks ended, and the means to wait for it or cancel
 * it.
 */
public interface Job {

	/**
	 * Return the job's id.
	 * @return the id
	 */
	String id();

	/**
	 * Return the job's type.
	 * @return the type
	 */
	JobType type();

	/**
	 * Return the job's status now.
	 * @return the status
	 */
	JobStatus status();

	/**
	 * Describe the job as it is now.
	 * @param withTasks whether to include every task
	 * @return the view
	 */
	JobView view(boolean withTasks);

	/**
	 * Return the events after the first {@code cursor} ended tasks: at most {@code max}
	 * tasks in the order they ended, then the finished job once the watcher has had every
	 * task of a finished job.
	 * @param cursor how many ended tasks the watcher has had already
	 * @param max most task events to return
	 * @return the events, empty if nothing new happened
	 */
	List<JobEvent> eventsFrom(int cursor, int max);

	/**
	 * Watch the job: {@code onChange} runs each time a task ends and when the job
	 * finishes; it must only wake a waiting reader, who then pulls the events with
	 * {@link #eventsFrom(int, int)}.
	 * @param onChange what wakes the watcher
	 */
	void watch(Runnable onChange);

	/**
	 * Stop watching the job.
	 * @param onChange what {@link #watch(Runnable)} was given
	 */
	void unwatch(Runnable onChange);

	/**
	 * Return a future completed with this job once every task has ended.
	 * @return the completion
	 */
	CompletableFuture<Job> completion();

	/**
	 * Wait for the job to finish, at most {@code wait}; an interrupt ends the wait early
	 * and is kept.
	 * @param wait how long to wait
	 * @return whether it finished in time
	 */
	default boolean await(Duration wait) {
		return JobService.awaitCompletion(completion(), wait);
	}

	/**
	 * Cancel the job: tasks not started never run, running ones are aborted. The job
	 * becomes {@link JobStatus#CANCELLED} once the last aborted task has ended; a second
	 * cancel while that happens changes nothing.
	 * @param reason why, shown in the job
	 * @return {@code false} if the job had already finished
	 */
	boolean cancel(String reason);

}
