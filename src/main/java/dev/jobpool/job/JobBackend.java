package dev.jobpool.job;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Where jobs live and run: in this JVM (the default) or in a store that several replicas
 * share. {@link JobService} is its only caller.
 */
public interface JobBackend {

	/**
	 * Accept a validated job, once per idempotency key.
	 * @param spec the job
	 * @param idempotencyKey the client's key, or {@code null} to always create a job
	 * @return the job, queued or running
	 * @throws QueueFullException if too many tasks wait already
	 * @throws IdempotencyKeyReusedException if the key came before with another request
	 */
	Job submit(JobSpec spec, @Nullable String idempotencyKey);

	/**
	 * Find a job.
	 * @param id its id
	 * @return the job, or empty if unknown or evicted
	 */
	Optional<Job> find(String id);

	/**
	 * Show a job with its tasks as it is now; a shared store reads it in one round trip.
	 * @param id its id
	 * @return the job's view, or empty if unknown or evicted
	 */
	default Optional<JobView> view(String id) {
		return find(id).map((job) -> job.view(true));
	}

	/**
	 * List jobs, newest first.
	 * @param status only this status, or all
	 * @param type only this type, or all
	 * @param limit at most this many
	 * @return the jobs
	 */
	List<Job> list(@Nullable JobStatus status, @Nullable JobType type, int limit);

	/**
	 * Return where the callbacks of ended jobs wait to be delivered.
	 * @return the outbox
	 */
	CallbackOutbox callbacks();

	/**
	 * Return how many accepted tasks wait for a worker (across the cluster, for a shared
	 * store).
	 * @return the waiting tasks
	 */
	int queuedTasks();

	/**
	 * Stop: let the work in progress here end within the grace, then cancel it or hand it
	 * back to the cluster.
	 * @param grace how long to wait
	 */
	void drain(Duration grace);

	/** Stop at once: nothing of this replica's may go on running. */
	void abandon();

}
