package dev.jobpool.job;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Keeps jobs in memory, bounded by count and by age: finished jobs older than
 * {@code jobpool.jobs.store.max-age} go, and past {@code max-jobs} the oldest finished
 * ones go first.
 */
final class InMemoryJobStore {

	private final LinkedHashMap<String, LocalJob> jobs = new LinkedHashMap<>();

	private final JobProperties.Store limits;

	private final Clock clock;

	private Instant nextAgeSweep = Instant.MIN;

	InMemoryJobStore(JobProperties.Store limits, Clock clock) {
		this.limits = limits;
		this.clock = clock;
	}

	synchronized void add(LocalJob job) {
		this.jobs.put(job.id(), job);
		evictExcess();
		evictOldAtMostOncePerSecond();
	}

	synchronized Optional<LocalJob> find(String id) {
		evictOldAtMostOncePerSecond();
		return Optional.ofNullable(this.jobs.get(id));
	}

	synchronized List<LocalJob> list(@Nullable JobStatus status, @Nullable JobType type, int limit) {
		evictOldAtMostOncePerSecond();
		List<LocalJob> result = new ArrayList<>();
		Iterator<LocalJob> newestFirst = this.jobs.sequencedValues().reversed().iterator();
		while (newestFirst.hasNext() && result.size() < limit) {
			LocalJob job = newestFirst.next();
			if ((status == null || job.status() == status) && (type == null || job.type() == type)) {
				result.add(job);
			}
		}
		return result;
	}

	synchronized List<LocalJob> unfinished() {
		return this.jobs.values().stream().filter((job) -> !job.status().isFinished()).toList();
	}

	/**
	 * Past the count limit, drop the oldest finished jobs. Usually the oldest job is
	 * finished and this removes one entry: adding a job stays cheap however many are
	 * kept.
	 */
	private void evictExcess() {
		int excess = this.jobs.size() - this.limits.maxJobs();
		Iterator<LocalJob> oldestFirst = this.jobs.values().iterator();
		while (excess > 0 && oldestFirst.hasNext()) {
			if (oldestFirst.next().finishedAt() != null) {
				oldestFirst.remove();
				excess--;
			}
		}
	}

	/**
	 * Drop finished jobs past their age; a sweep over every job, so at most once a
	 * second.
	 */
	private void evictOldAtMostOncePerSecond() {
		Instant now = this.clock.instant();
		if (now.isBefore(this.nextAgeSweep)) {
			return;
		}
		this.nextAgeSweep = now.plusSeconds(1);
		Instant oldest = now.minus(this.limits.maxAge());
		this.jobs.values().removeIf((job) -> {
			Instant finishedAt = job.finishedAt();
			return finishedAt != null && finishedAt.isBefore(oldest);
		});
	}

}
