package dev.jobpool.job;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The callbacks of ended jobs that wait to be delivered, kept by the job store: in memory
 * for the in-memory store, in Redis for the shared one (where a delivery leased by a
 * replica that dies is taken by another once its lease runs out).
 */
public interface CallbackOutbox {

	/**
	 * Take up to {@code max} deliveries that are due now; no one else takes them until
	 * they are attempted, released or their lease runs out. A lease that ran out with
	 * nothing recorded was an attempt that died with its replica: where a store can lose
	 * one, it counts as an attempt, and the one that spends {@code maxAttempts} fails the
	 * callback {@code worker_lost} instead of being taken.
	 * @param max most deliveries to take
	 * @param lease how long they are this replica's
	 * @param maxAttempts most attempts per callback
	 * @return the jobs whose callback to try now, and how many lost attempts were counted
	 */
	Claimed claimDue(int max, Duration lease, int maxAttempts);

	/**
	 * Return the body of a job's callback: the one stored at its first attempt, so that
	 * every retry sends the same bytes, or {@code first} stored now.
	 * @param job the job
	 * @param first makes the body, called at most once per job
	 * @return the body
	 */
	String body(Job job, Supplier<String> first);

	/**
	 * Record one attempt, and when to try again, if at all.
	 * @param job the job
	 * @param attempt how it went
	 */
	void attempted(Job job, CallbackAttempt attempt);

	/**
	 * Hand back deliveries taken but not attempted (the replica is stopping): they are
	 * due again at once, for this replica or another.
	 * @param jobs the jobs
	 */
	void release(List<Job> jobs);

	/**
	 * Return how many callbacks wait: for the job's end, a retry, or an attempt now.
	 * @return the pending deliveries
	 */
	int pending();

	/**
	 * What a claim took.
	 *
	 * @param jobs the jobs whose callback to try now
	 * @param lost how many attempts that died with their replica the claim counted
	 */
	record Claimed(List<Job> jobs, int lost) {

		public Claimed {
			jobs = List.copyOf(jobs);
		}

	}

}
