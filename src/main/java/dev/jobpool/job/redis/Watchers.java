package dev.jobpool.job.redis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

	private final Map<String, Set<Runnable>> byJob = new ConcurrentHashMap<>();

	/** The jobs whose last end this replica reported lately, newest last. */
	private final Set<String> finishedHere = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
			return size() > FINISHED_KEPT;
		}

	});

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
