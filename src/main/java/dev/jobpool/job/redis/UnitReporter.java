package dev.jobpool.job.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the store of units that started and ended, many in one round trip: what ends
 * while a batch is on its way goes in the next. Kept in order, and kept while Redis is
 * away (at most two entries per unit this replica runs), then sent once it is back.
 */
final class UnitReporter {

	private static final Logger logger = LoggerFactory.getLogger(UnitReporter.class);

	private static final int MAX_BATCH = 128;

	private static final Duration STORE_BACKOFF = Duration.ofMillis(500);

	/**
	 * One start or end of a unit.
	 *
	 * @param start a start, else an end
	 * @param jobId the job
	 * @param unit the unit
	 * @param task the task it belongs to
	 * @param unitsOfTask how many units the task has
	 * @param payload the worker (start) or outcome (end), as JSON
	 * @param code the failure code of an end, or empty
	 * @param answer told what the store answered
	 */
	record Entry(boolean start, String jobId, String unit, int task, int unitsOfTask, String payload, String code,
			LongConsumer answer) {
	}

	private final RedisStore store;

	private final Duration retention;

	private final LinkedBlockingQueue<Entry> queue = new LinkedBlockingQueue<>();

	private volatile boolean running;

	private @Nullable Thread thread;

	UnitReporter(RedisStore store, Duration retention) {
		this.store = store;
		this.retention = retention;
	}

	void start() {
		this.running = true;
		this.thread = Thread.ofVirtual().name("jobpool-report").start(this::run);
	}

	void add(Entry entry) {
		this.queue.add(entry);
	}

	int waiting() {
		return this.queue.size();
	}

	private void run() {
		List<Entry> batch = new ArrayList<>(MAX_BATCH);
		while (this.running || !this.queue.isEmpty() || !batch.isEmpty()) {
			try {
				if (batch.isEmpty()) {
					Entry first = this.queue.poll(100, TimeUnit.MILLISECONDS);
					if (first == null) {
						continue;
					}
					batch.add(first);
					this.queue.drainTo(batch, MAX_BATCH - 1);
				}
				send(batch);
				batch.clear();
			}
			catch (StoreUnavailableException ex) {
				logger.debug("Could not report {} unit events: {}", batch.size(), ex.getMessage());
				if (!this.running) {
					return;
				}
				sleep();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				logger.warn("Could not report {} unit events", batch.size(), ex);
				batch.clear();
			}
		}
	}

	private void send(List<Entry> batch) {
		List<String> args = new ArrayList<>(batch.size() * 7);
		for (Entry entry : batch) {
			args.add(entry.start() ? "s" : "e");
			args.add(entry.jobId());
			args.add(entry.unit());
			args.add(Integer.toString(entry.task()));
			args.add(Integer.toString(entry.unitsOfTask()));
			args.add(entry.payload());
			args.add(entry.code());
		}
		List<Object> answers = this.store.report(args, this.retention);
		for (int i = 0; i < batch.size() && i < answers.size(); i++) {
			batch.get(i).answer().accept(((Number) answers.get(i)).longValue());
		}
	}

	private void sleep() {
		try {
			Thread.sleep(STORE_BACKOFF);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
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
