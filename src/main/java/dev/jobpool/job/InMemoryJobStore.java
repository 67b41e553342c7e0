package dev.jobpool.job;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Keeps jobs in memory, bounded by count and by age: finished jobs older than
 * {@code jobpool.jobs.store.max-age} go, and past {@code max-jobs} the oldest finished ones go
 * first.
 */
@Component
class InMemoryJobStore implements JobStore {

	private final LinkedHashMap<String, Job> jobs = new LinkedHashMap<>();

	private final JobProperties.Store limits;

	private final Clock clock;

	@Autowired
	InMemoryJobStore(JobProperties properties) {
		this(properties.store(), Clock.systemUTC());
	}

	InMemoryJobStore(JobProperties.Store limits, Clock clock) {
		this.limits = limits;
		this.clock = clock;
	}

	@Override
	public synchronized void add(Job job) {
		this.jobs.put(job.id(), job);
		evict();
	}

	@Override
	public synchronized Optional<Job> find(String id) {
		evict();
		return Optional.ofNullable(this.jobs.get(id));
	}

	@Override
	public synchronized List<Job> list(@Nullable JobStatus status, @Nullable JobType type, int limit) {
		evict();
		List<Job> all = new ArrayList<>(this.jobs.values());
		List<Job> result = new ArrayList<>();
		for (int i = all.size() - 1; i >= 0 && result.size() < limit; i--) {
			Job job = all.get(i);
			if ((status == null || job.status() == status) && (type == null || job.type() == type)) {
				result.add(job);
			}
		}
		return result;
	}

	@Override
	public synchronized List<Job> unfinished() {
		return this.jobs.values().stream().filter((job) -> !job.status().isFinished()).toList();
	}

	private void evict() {
		Instant oldest = this.clock.instant().minus(this.limits.maxAge());
		int excess = this.jobs.size() - this.limits.maxJobs();
		Iterator<Job> it = this.jobs.values().iterator();
		while (it.hasNext()) {
			Job job = it.next();
			Instant finishedAt = job.finishedAt();
			if (finishedAt == null) {
				continue;
			}
			if (excess > 0) {
				it.remove();
				excess--;
			}
			else if (finishedAt.isBefore(oldest)) {
				it.remove();
			}
		}
	}

}
