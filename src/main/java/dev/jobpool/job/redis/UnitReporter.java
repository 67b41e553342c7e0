package dev.jobpool.job.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

import io.netty.util.concurrent.FastThreadLocalThread;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the store of units that started and ended, many in one round trip: what ends
 * while a batch is on its way goes in the next, which follows at once on the same
 * connection (at most {@value #MAX_IN_FLIGHT} unanswered), so that an end never waits for
 * the answer to another. Kept in order, and kept while Redis is away (at most two entries
 * per unit this replica runs), then sent again in the order they were first sent, once it
 * is back. The same round trip claims the next units for the slots the ends freed.
 * Answers are handled on the driver's I/O thread, which the hooks and the entries'
 * answers must never block.
 */
final class UnitReporter {

	private static final Logger logger = LoggerFactory.getLogger(UnitReporter.class);

	/**
	 * Most entries in one report. A large job's units start and end faster than a busy
	 * replica's reports go, so thousands queue; its last end waits behind them, and
	 * fewer, larger reports drain them sooner (measured on 10,000 URLs: 128 left about
	 * 290 ms from the last end to the answer, 256 about 175 ms, more no better). Larger
	 * still would hold Redis longer in one script.
	 */
	private static final int MAX_BATCH = 256;

	/**
	 * Enough for two ends that came together not to wait for each other's answer; more in
	 * flight would cut a busy replica's reports into ever smaller batches.
	 */
	private static final int MAX_IN_FLIGHT = 2;

	private static final Duration STORE_BACKOFF = Duration.ofMillis(500);

	/**
	 * How long starts wait for an end to go with. A round trip that only tells of starts
	 * would hold up the ends behind it (the classic sums end in a few milliseconds, while
	 * the busy workers slow every round trip); the store still dates each start when it
	 * happened.
	 */
	private static final long START_LINGER_NANOS = Duration.ofMillis(50).toNanos();

	/**
	 * One start or end of a unit.
	 *
	 * @param start a start, else an end
	 * @param executor the id of the executor that runs the unit
	 * @param jobId the job
	 * @param unit the unit
	 * @param task the task it belongs to
	 * @param unitsOfTask how many units the task has
	 * @param payload the worker (start) or outcome (end), as JSON
	 * @param code the failure code of an end, or empty
	 * @param at when it happened ({@link System#nanoTime()}): the store dates it by its
	 * own clock less the time it took to get there
	 * @param answer told what the store answered
	 * @param ahead of an end: what the replica started in the slot it freed before the
	 * store gave it (the report claims for that slot too, and hands it back with what it
	 * claimed), else {@code null}
	 */
	record Entry(boolean start, String executor, String jobId, String unit, int task, int unitsOfTask, String payload,
			String code, long at, LongConsumer answer, @Nullable Object ahead) {
	}

	/**
	 * What a report needs from the rest of the replica: the slots it claims for, the jobs
	 * whose end someone here waits for, and where the final state of those it finished
	 * goes.
	 */
	interface ReportHooks {

		/**
		 * Reserve free slots of these executors for the units a report claims.
		 * @param executors the ids of the executors whose units ended in the report
		 * @return how many units to claim per executor id (only those above zero)
		 */
		Map<String, Integer> reserve(Set<String> executors);

		/**
		 * Start what a report claimed, and give back the slots it did not fill.
		 * @param executor the executor id
		 * @param units the units claimed, as the claim script returns them
		 * @param reserved how many free slots were reserved for them
		 * @param ahead what the report's ends started ahead in the slots they freed (the
		 * claim asked for these slots too)
		 */
		void claimed(String executor, List<Object> units, int reserved, List<Object> ahead);

		/**
		 * Which of these jobs someone here waits for the end of.
		 * @param jobs the ids of the jobs whose units ended in the report
		 * @return the ids whose whole state the report should bring back if it finishes
		 * them
		 */
		Set<String> awaited(Set<String> jobs);

		/**
		 * The report finished an awaited job; this is how it ended.
		 * @param jobId the job
		 * @param whole the job as the report read it
		 */
		void finished(String jobId, RedisStore.WholeJob whole);

	}

	private final RedisStore store;

	private final Duration retention;

	private final String replica;

	private final ReportHooks hooks;

	private final LinkedBlockingQueue<Entry> queue = new LinkedBlockingQueue<>();

	private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

	/**
	 * Batches that did not reach the store, in the order they were sent: they go again,
	 * in that order, before anything new.
	 */
	private final List<Batch> undelivered = new ArrayList<>();

	/** Held while a report is put together and sent, so that reports go in order. */
	private final ReentrantLock sending = new ReentrantLock();

	/** Released on each entry queued and each batch that must go again. */
	private final Semaphore queued = new Semaphore(0);

	private final AtomicInteger endsQueued = new AtomicInteger();

	private long sequence;

	private volatile boolean running;

	private @Nullable Thread thread;

	/** Entries sent in one report, numbered in the order they were first sent. */
	private record Batch(long sequence, List<Entry> entries) {
	}

	/** How a report ended. */
	private enum Delivery {

		/** The store answered. */
		ANSWERED,

		/** The store could not be reached: the batch goes again. */
		UNDELIVERED,

		/** The store refused the batch: it is dropped. */
		DROPPED

	}

	UnitReporter(RedisStore store, Duration retention, String replica, ReportHooks hooks) {
		this.store = store;
		this.retention = retention;
		this.replica = replica;
		this.hooks = hooks;
	}

	void start() {
		this.running = true;
		this.thread = Thread.ofVirtual().name("jobpool-report").start(this::run);
	}

	/**
	 * Queue a start or an end. An end goes at once, from the calling thread, with what
	 * waits before it, when no report is on its way or being put together and none waits
	 * to go again; else the reporter's thread sends it, at most {@value #MAX_IN_FLIGHT}
	 * unanswered. Starts wait for an end to go with (at most
	 * {@link #START_LINGER_NANOS}).
	 * @param entry the start or end
	 */
	void add(Entry entry) {
		this.queue.add(entry);
		if (!entry.start()) {
			this.endsQueued.incrementAndGet();
			// Not from the driver's I/O thread (a claimed unit its executor refused ends
			// there): it must never wait for Redis, as sending may after a restart.
			if (!(Thread.currentThread() instanceof FastThreadLocalThread) && this.sending.tryLock()) {
				try {
					// Only with nothing on its way: under load, ends wait to go together.
					if (!hasUndelivered() && this.inFlight.availablePermits() == MAX_IN_FLIGHT
							&& this.inFlight.tryAcquire() && !dispatch()) {
						this.inFlight.release();
					}
				}
				finally {
					this.sending.unlock();
				}
			}
		}
		this.queued.release();
	}

	int waiting() {
		return this.queue.size();
	}

	private void run() {
		while (this.running || !this.queue.isEmpty() || hasUndelivered()) {
			try {
				Entry oldest = this.queue.peek();
				if (oldest == null && !hasUndelivered()) {
					this.queued.tryAcquire(100, TimeUnit.MILLISECONDS);
					continue;
				}
				long lingered = (oldest != null) ? System.nanoTime() - oldest.at() : START_LINGER_NANOS;
				if (this.running && this.endsQueued.get() == 0 && lingered < START_LINGER_NANOS && !hasUndelivered()) {
					this.queued.tryAcquire(START_LINGER_NANOS - lingered, TimeUnit.NANOSECONDS);
					continue;
				}
				this.sending.lockInterruptibly();
				try {
					if (hasUndelivered()) {
						if (!deliverAgain()) {
							return;
						}
						continue;
					}
					this.inFlight.acquire();
					if (!dispatch()) {
						this.inFlight.release();
					}
				}
				finally {
					this.sending.unlock();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		try {
			this.inFlight.tryAcquire(MAX_IN_FLIGHT, 5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Take what is queued and send it; the caller holds {@link #sending} and one place in
	 * {@link #inFlight}, which the answer gives back.
	 * @return false if nothing was queued (the place is the caller's to give back)
	 */
	private boolean dispatch() {
		List<Entry> entries = new ArrayList<>(Math.min(MAX_BATCH, this.queue.size() + 1));
		this.queue.drainTo(entries, MAX_BATCH);
		if (entries.isEmpty()) {
			return false;
		}
		int ends = 0;
		for (Entry entry : entries) {
			if (!entry.start()) {
				ends++;
			}
		}
		this.endsQueued.addAndGet(-ends);
		Batch batch = new Batch(this.sequence++, entries);
		send(batch, true).whenComplete((delivery, error) -> {
			if (delivery == Delivery.UNDELIVERED) {
				synchronized (this.undelivered) {
					this.undelivered.add(batch);
				}
				this.queued.release();
			}
			this.inFlight.release();
		});
		return true;
	}

	private boolean hasUndelivered() {
		synchronized (this.undelivered) {
			return !this.undelivered.isEmpty();
		}
	}

	/**
	 * Once every report on its way is answered, send the undelivered batches again, one
	 * at a time and in order, until the store takes them or this replica stops.
	 * @return false if it stopped first
	 */
	private boolean deliverAgain() throws InterruptedException {
		this.inFlight.acquire(MAX_IN_FLIGHT);
		try {
			List<Batch> again;
			synchronized (this.undelivered) {
				again = new ArrayList<>(this.undelivered);
				this.undelivered.clear();
			}
			again.sort(Comparator.comparingLong(Batch::sequence));
			for (int i = 0; i < again.size(); i++) {
				while (send(again.get(i), false).join() == Delivery.UNDELIVERED) {
					if (!this.running) {
						// Not told: these units go back into play once this replica's
						// claims are seen as orphans or its heartbeat expires.
						return false;
					}
					Thread.sleep(STORE_BACKOFF);
				}
			}
			return true;
		}
		finally {
			this.inFlight.release(MAX_IN_FLIGHT);
		}
	}

	/**
	 * Send a batch; what the store answers is handled as it comes.
	 * @param first whether it goes for the first time: only then do its ends claim for
	 * what they started ahead (an undelivered report gave those units up)
	 */
	private CompletableFuture<Delivery> send(Batch batch, boolean first) {
		List<Entry> entries = batch.entries();
		List<String> args = new ArrayList<>(entries.size() * 8);
		long sent = System.nanoTime();
		Set<String> freed = new HashSet<>();
		Set<String> ending = new HashSet<>();
		Map<String, List<Object>> ahead = new HashMap<>();
		for (Entry entry : entries) {
			if (!entry.start()) {
				freed.add(entry.executor());
				ending.add(entry.jobId());
				if (first && entry.ahead() != null) {
					ahead.computeIfAbsent(entry.executor(), (executor) -> new ArrayList<>()).add(entry.ahead());
				}
			}
			args.add(entry.start() ? "s" : "e");
			args.add(entry.jobId());
			args.add(entry.unit());
			args.add(Integer.toString(entry.task()));
			args.add(Integer.toString(entry.unitsOfTask()));
			args.add(entry.payload());
			args.add(entry.code());
			args.add(Long.toString(Math.max(0, (sent - entry.at()) / 1_000_000)));
		}
		Map<String, Integer> reserved = freed.isEmpty() ? Map.of() : this.hooks.reserve(freed);
		Map<String, Integer> claiming = new HashMap<>(reserved);
		ahead.forEach((executor, units) -> claiming.merge(executor, units.size(), Integer::sum));
		Set<String> wanted = ending.isEmpty() ? Set.of() : this.hooks.awaited(ending);
		return this.store.reportAsync(args, this.retention, this.replica, claiming, wanted).handle((reply, error) -> {
			if (error == null) {
				try {
					answered(reply, claiming, reserved, ahead, entries);
				}
				catch (RuntimeException ex) {
					logger.warn("Could not handle the answer to {} unit events", entries.size(), ex);
				}
				return Delivery.ANSWERED;
			}
			claiming.keySet()
				.forEach((executor) -> this.hooks.claimed(executor, List.of(), reserved.getOrDefault(executor, 0),
						ahead.getOrDefault(executor, List.of())));
			Throwable cause = (error instanceof CompletionException && error.getCause() != null) ? error.getCause()
					: error;
			if (cause instanceof StoreUnavailableException) {
				logger.debug("Could not report {} unit events: {}", entries.size(), cause.getMessage());
				return Delivery.UNDELIVERED;
			}
			logger.warn("Could not report {} unit events", entries.size(), cause);
			// Dropped: nothing was recorded (a unit whose end is lost goes back into
			// play as an orphan of this replica).
			entries.forEach((entry) -> entry.answer().accept(entry.start() ? -1 : 0));
			return Delivery.DROPPED;
		});
	}

	@SuppressWarnings("unchecked")
	private void answered(List<Object> reply, Map<String, Integer> claiming, Map<String, Integer> reserved,
			Map<String, List<Object>> ahead, List<Entry> entries) {
		List<Object> answers = (reply.size() >= 2) ? (List<Object>) reply.get(0) : List.of();
		List<Object> claimed = (reply.size() >= 2) ? (List<Object>) reply.get(1) : List.of();
		List<Object> wholes = (reply.size() >= 3) ? (List<Object>) reply.get(2) : List.of();
		for (int i = 0; i + 1 < wholes.size(); i += 2) {
			this.hooks.finished(String.valueOf(wholes.get(i)), RedisStore.whole((List<?>) wholes.get(i + 1)));
		}
		Set<String> unanswered = new HashSet<>(claiming.keySet());
		for (int i = 0; i + 1 < claimed.size(); i += 2) {
			String executor = String.valueOf(claimed.get(i));
			if (unanswered.remove(executor)) {
				this.hooks.claimed(executor, (List<Object>) claimed.get(i + 1), reserved.getOrDefault(executor, 0),
						ahead.getOrDefault(executor, List.of()));
			}
		}
		unanswered.forEach((executor) -> this.hooks.claimed(executor, List.of(), reserved.getOrDefault(executor, 0),
				ahead.getOrDefault(executor, List.of())));
		for (int i = 0; i < entries.size() && i < answers.size(); i++) {
			entries.get(i).answer().accept(((Number) answers.get(i)).longValue());
		}
	}

	/** Send what waits, for at most {@code wait}, then stop. */
	void stop(Duration wait) {
		this.running = false;
		Thread current = this.thread;
		if (current == null) {
			return;
		}
		try {
			if (!current.join(wait)) {
				current.interrupt();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
