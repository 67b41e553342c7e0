package dev.jobpool.job;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Remembers which job each {@code Idempotency-Key} created, with the request that created
 * it, so a retried POST gets the same job instead of a second one. Bounded like the job
 * store: by count and by age.
 */
final class IdempotencyKeys {

	private record Entry(JobSpec spec, String jobId, Instant createdAt) {
	}

	private final Map<String, Entry> entries = new LinkedHashMap<>();

	private final JobProperties.Store limits;

	private final Clock clock;

	IdempotencyKeys(JobProperties.Store limits, Clock clock) {
		this.limits = limits;
		this.clock = clock;
	}

	/**
	 * Return the job the key created from the same request, or create one.
	 * @param key the client's key
	 * @param spec the request
	 * @param existing finds a job by id, if it is still kept
	 * @param create creates the job
	 * @return the job
	 * @throws IdempotencyKeyReusedException if the key created a job from another request
	 */
	synchronized Job findOrCreate(String key, JobSpec spec, Function<String, Optional<Job>> existing,
			Supplier<Job> create) {
		evict();
		Entry entry = this.entries.get(key);
		if (entry != null) {
			if (!entry.spec().equals(spec)) {
				throw new IdempotencyKeyReusedException(key, entry.jobId());
			}
			Optional<Job> job = existing.apply(entry.jobId());
			if (job.isPresent()) {
				return job.get();
			}
		}
		Job job = create.get();
		this.entries.put(key, new Entry(spec, job.id(), this.clock.instant()));
		return job;
	}

	private void evict() {
		Instant oldest = this.clock.instant().minus(this.limits.maxAge());
		int excess = this.entries.size() - this.limits.maxJobs();
		Iterator<Entry> it = this.entries.values().iterator();
		while (it.hasNext()) {
			Entry entry = it.next();
			if (excess > 0 || entry.createdAt().isBefore(oldest)) {
				it.remove();
				excess--;
			}
			else {
				return;
			}
		}
	}

}
