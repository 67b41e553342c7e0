package dev.jobpool.job.redis;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who on this replica waits for news of which job: event streams (each task's end), and
 * {@code ?wait} and completions (the job's end). Woken by the store's pub/sub message
 * when a task of the job ends, and by a poll each second, so that a message lost while
 * Redis was away delays news but never loses it. The messages of this replica's own
 * reports are let go: their answers tell the watchers here first, with the final state of
 * a job they finished.
 */
final class Watchers {

	private static final Logger logger = LoggerFactory.getLogger(Watchers.class);

	private static final int FINISHED_KEPT = 1024;

	private static final int FINALS_KEPT = 16;

	private static final long FINAL_FRESH_NANOS = 1_000_000_000L;

	private final String replica;

	/** Who wants to hear of each change of a job: event streams. */
	private final Map<String, Set<Runnable>> byJob = new ConcurrentHashMap<>();

	/** Who wants to hear only of a job's end: {@code ?wait} and completions. */
	private final Map<String, Set<Runnable>> endsByJob = new ConcurrentHashMap<>();

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

	/**
	 * Create the watchers of one replica.
	 * @param replica the replica's id, as its reports sign their messages
	 */
	Watchers(String replica) {
		this.replica = replica;
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
		return fresh(kept);
	}

	/** Read a job's final state as {@link #takeFinal} does, leaving it for the waiter. */
	RedisStore.@Nullable WholeJob peekFinal(String job) {
		Final kept;
		synchronized (this.finals) {
			kept = this.finals.get(job);
		}
		return fresh(kept);
	}

	private static RedisStore.@Nullable WholeJob fresh(@Nullable Final kept) {
		return (kept != null && System.nanoTime() - kept.readAt() < FINAL_FRESH_NANOS) ? kept.whole() : null;
	}

	void watch(String job, Runnable onChange) {
		add(this.byJob, job, onChange);
	}

	void unwatch(String job, Runnable onChange) {
		remove(this.byJob, job, onChange);
	}

	/** Hear only of the job's end (and of the poll), not of each task's. */
	void watchEnd(String job, Runnable onEnd) {
		add(this.endsByJob, job, onEnd);
	}

	void unwatchEnd(String job, Runnable onEnd) {
		remove(this.endsByJob, job, onEnd);
	}

	private static void add(Map<String, Set<Runnable>> watchers, String job, Runnable watcher) {
		watchers.computeIfAbsent(job, (id) -> ConcurrentHashMap.newKeySet()).add(watcher);
	}

	private static void remove(Map<String, Set<Runnable>> watchers, String job, Runnable watcher) {
		watchers.computeIfPresent(job, (id, set) -> {
			set.remove(watcher);
			return set.isEmpty() ? null : set;
		});
	}

	/**
	 * The store says a job changed.
	 * @param job the job
	 * @param origin the replica whose report changed it, or {@code null} if another step
	 * did: this replica's own reports have told the watchers here already
	 */
	void wake(String job, @Nullable String origin) {
		if (!this.replica.equals(origin)) {
			pokeAll(job);
		}
	}

	/**
	 * This replica's report ended a task of the job without ending the job: the event
	 * streams here look.
	 * @param job the job
	 */
	void taskEnded(String job) {
		pokeEach(this.byJob.get(job));
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
		pokeAll(job);
	}

	private void pokeAll(String job) {
		pokeEach(this.byJob.get(job));
		pokeEach(this.endsByJob.get(job));
	}

	private void pokeEach(@Nullable Set<Runnable> watchers) {
		if (watchers != null) {
			List.copyOf(watchers).forEach(this::poke);
		}
	}

	boolean finishedHere(String job) {
		synchronized (this.finishedHere) {
			return this.finishedHere.contains(job);
		}
	}

	void wakeAll() {
		Set<String> jobs = new HashSet<>(this.byJob.keySet());
		jobs.addAll(this.endsByJob.keySet());
		jobs.forEach(this::pokeAll);
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
		return this.byJob.values().stream().mapToInt(Set::size).sum()
				+ this.endsByJob.values().stream().mapToInt(Set::size).sum();
	}

}
