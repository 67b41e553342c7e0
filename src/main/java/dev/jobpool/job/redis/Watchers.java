package dev.jobpool.job.redis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who on this replica waits for news of which job: event streams, {@code ?wait} and
 * completions. Woken by the store's pub/sub message when a task of the job ends, and by a
 * poll each second, so that a message lost while Redis was away delays news but never
 * loses it.
 */
final class Watchers {

	private static final Logger logger = LoggerFactory.getLogger(Watchers.class);

	private static final int FINISHED_KEPT = 1024;

	private static final int FINALS_KEPT = 16;

	private static final long FINAL_FRESH_NANOS = 1_000_000_000L;

	private final Map<String, Set<Runnable>> byJob = new ConcurrentHashMap<>();

	/** The jobs whose last end this replica reported lately, newest last. */
	private final Set<String> finishedHere = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
			return size() > FINISHED_KEPT;
		}

	});

	/** How many {@code ?wait}s on this replica wait for each job. */
	private final Map<String, Integer> awaiting = new ConcurrentHashMap<>();

	/**
	 * Jobs as the report that finished them read them, for the {@code ?wait} here that
	 * waits for them: taken by the first, and only the newest few kept.
	 */
	private final Map<String, Final> finals = new LinkedHashMap<>(16, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Final> eldest) {
			return size() > FINALS_KEPT;
		}

	};

	/** A job's final state, and when it was read ({@link System#nanoTime()}). */
	private record Final(RedisStore.WholeJob whole, long readAt) {
	}

	void awaitStarted(String job) {
		this.awaiting.merge(job, 1, Integer::sum);
	}

	void awaitEnded(String job) {
		this.awaiting.computeIfPresent(job, (id, count) -> (count > 1) ? count - 1 : null);
	}

	boolean awaited(String job) {
		return this.awaiting.containsKey(job);
	}

	void keepFinal(String job, RedisStore.WholeJob whole) {
		synchronized (this.finals) {
			this.finals.put(job, new Final(whole, System.nanoTime()));
		}
	}

	/**
	 * Take a job's final state if it was read within the last second (its callback may
	 * have moved on since).
	 */
	RedisStore.@Nullable WholeJob takeFinal(String job) {
		Final kept;
		synchronized (this.finals) {
			kept = this.finals.remove(job);
		}
		return (kept != null && System.nanoTime() - kept.readAt() < FINAL_FRESH_NANOS) ? kept.whole() : null;
	}

	void watch(String job, Runnable onChange) {
		this.byJob.computeIfAbsent(job, (id) -> ConcurrentHashMap.newKeySet()).add(onChange);
	}

	void unwatch(String job, Runnable onChange) {
		this.byJob.computeIfPresent(job, (id, watchers) -> {
			watchers.remove(onChange);
			return watchers.isEmpty() ? null : watchers;
		});
	}

	void wake(String job) {
		Set<Runnable> watchers = this.byJob.get(job);
		if (watchers != null) {
			List.copyOf(watchers).forEach(this::poke);
		}
	}

	/**
	 * This replica's report ended the job: who waits here learns it without asking the
	 * store again.
	 * @param job the job
	 */
	void finished(String job) {
		synchronized (this.finishedHere) {
			this.finishedHere.add(job);
		}
		wake(job);
	}

	boolean finishedHere(String job) {
		synchronized (this.finishedHere) {
			return this.finishedHere.contains(job);
		}
	}

	void wakeAll() {
		List.copyOf(this.byJob.keySet()).forEach(this::wake);
	}

	void poke(Runnable watcher) {
		try {
			watcher.run();
		}
		catch (RuntimeException ex) {
			logger.debug("A job watcher failed", ex);
		}
	}

	int size() {
		return this.byJob.values().stream().mapToInt(Set::size).sum();
	}

}
