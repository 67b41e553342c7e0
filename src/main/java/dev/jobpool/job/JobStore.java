package dev.jobpool.job;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Keeps jobs so they can be looked up by id and listed. Bounded: a store may evict
 * finished jobs, after which they are not found.
 */
public interface JobStore {

	/**
	 * Keep a newly accepted job.
	 * @param job the job
	 */
	void add(Job job);

	/**
	 * Find a job.
	 * @param id its id
	 * @return the job, or empty if unknown or evicted
	 */
	Optional<Job> find(String id);

	/**
	 * List jobs, newest first.
	 * @param status only jobs with this status, or all
	 * @param type only jobs of this type, or all
	 * @param limit at most this many
	 * @return the jobs
	 */
	List<Job> list(@Nullable JobStatus status, @Nullable JobType type, int limit);

	/**
	 * Return every job not yet finished.
	 * @return the unfinished jobs
	 */
	List<Job> unfinished();

}
