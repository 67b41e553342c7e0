package dev.jobpool.job.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import dev.jobpool.job.CallbackAttempt;
import dev.jobpool.job.CallbackOutbox;
import dev.jobpool.job.Job;
import dev.jobpool.job.JobView;

/**
 * The shared store's callbacks: a sorted set of job ids by when each is due, which the
 * job's end adds to in the same script that ends it. A replica leases what it tries, so a
 * delivery pending on a replica that dies is tried by another once the lease is up.
 */
final class RedisCallbackOutbox implements CallbackOutbox {

	private final RedisJobBackend backend;

	RedisCallbackOutbox(RedisJobBackend backend) {
		this.backend = backend;
	}

	@Override
	public Claimed claimDue(int max, Duration lease, int maxAttempts) {
		List<Object> claimed = this.backend.store().claimCallbacks(max, lease, maxAttempts);
		List<Job> jobs = new ArrayList<>();
		for (int i = 1; i + 1 < claimed.size(); i += 2) {
			jobs.add(this.backend.job(String.valueOf(claimed.get(i)), String.valueOf(claimed.get(i + 1))));
		}
		return new Claimed(jobs, ((Number) claimed.get(0)).intValue());
	}

	@Override
	public String body(Job job, Supplier<String> first) {
		String stored = this.backend.store().jobField(job.id(), "cbBody");
		if (stored != null) {
			return stored;
		}
		String body = this.backend.store().callbackBody(job.id(), first.get());
		return (body != null) ? body : first.get();
	}

	@Override
	public void attempted(Job job, CallbackAttempt attempt) {
		JobView.CallbackError error = attempt.error();
		this.backend.store()
			.callbackAttempted(job.id(), List.of(attempt.status().id(),
					(attempt.statusCode() != null) ? attempt.statusCode().toString() : "",
					(error != null) ? error.code() : "", (error != null) ? error.message() : "",
					Long.toString(attempt.at().toEpochMilli()),
					(attempt.retryAt() != null)
							? Long.toString(Math.max(0, attempt.retryAt().toEpochMilli() - attempt.at().toEpochMilli()))
							: ""));
	}

	@Override
	public void release(List<Job> jobs) {
		this.backend.store().releaseCallbacks(jobs.stream().map(Job::id).toList());
	}

	@Override
	public int pending() {
		return (int) this.backend.store().pendingCallbacks();
	}

}
