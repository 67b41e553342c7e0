package dev.jobpool.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Supplier;

/**
 * The in-memory store's callbacks: a queue ordered by when each is due. A job's state and
 * body live in the job itself, which the queue holds on to, so that a job evicted from
 * the store while its callback waits is still delivered. A lease is never lost here (the
 * queue dies with the JVM that holds it), so no attempt is counted at a claim.
 */
final class LocalCallbackOutbox implements CallbackOutbox {

	private record Due(LocalJob job, Instant at) {
	}

	private final PriorityQueue<Due> queue = new PriorityQueue<>(Comparator.comparing(Due::at));

	private int leased;

	/** A job with a callback has ended: its first attempt is due now. */
	synchronized void ended(LocalJob job) {
		this.queue.add(new Due(job, Instant.now()));
	}

	@Override
	public synchronized Claimed claimDue(int max, Duration lease, int maxAttempts) {
		Instant now = Instant.now();
		List<Job> due = new ArrayList<>();
		while (due.size() < max && !this.queue.isEmpty() && !this.queue.peek().at().isAfter(now)) {
			due.add(this.queue.poll().job());
		}
		this.leased += due.size();
		return new Claimed(due, 0);
	}

	@Override
	public String body(Job job, Supplier<String> first) {
		return local(job).callbackBody(first);
	}

	@Override
	public void attempted(Job job, CallbackAttempt attempt) {
		LocalJob local = local(job);
		local.callbackAttempted(attempt);
		synchronized (this) {
			this.leased--;
			if (attempt.retryAt() != null) {
				this.queue.add(new Due(local, attempt.retryAt()));
			}
		}
	}

	@Override
	public synchronized void release(List<Job> jobs) {
		Instant now = Instant.now();
		jobs.forEach((job) -> this.queue.add(new Due(local(job), now)));
		this.leased -= jobs.size();
	}

	@Override
	public synchronized int pending() {
		return this.queue.size() + this.leased;
	}

	private static LocalJob local(Job job) {
		if (job instanceof LocalJob local) {
			return local;
		}
		throw new IllegalArgumentException("Not a job of the in-memory store: " + job.id());
	}

}
