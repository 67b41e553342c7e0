package dev.jobpool.execution;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many tasks of an executor wait, run and have finished. A task counts as queued from
 * the moment its job is accepted for this executor until it starts, whether it waits in
 * its job (held back by the job's concurrency) or in the executor's own queue.
 */
public final class ExecutorLoad {

	private final AtomicInteger queued = new AtomicInteger();

	private final AtomicInteger active = new AtomicInteger();

	private final AtomicLong completed = new AtomicLong();

	/**
	 * Count tasks of a newly accepted job as queued.
	 * @param tasks how many
	 */
	public void accepted(int tasks) {
		this.queued.addAndGet(tasks);
	}

	/** Count a queued task as running. */
	public void started() {
		this.queued.decrementAndGet();
		this.active.incrementAndGet();
	}

	/** Count a running task as completed. */
	public void finished() {
		this.active.decrementAndGet();
		this.completed.incrementAndGet();
	}

	/**
	 * Forget queued tasks that will never start (their job was cancelled).
	 * @param tasks how many
	 */
	public void dropped(int tasks) {
		this.queued.addAndGet(-tasks);
	}

	/**
	 * Return how many tasks wait.
	 * @return the queued tasks
	 */
	public int queued() {
		return this.queued.get();
	}

	/**
	 * Return how many tasks run now.
	 * @return the active tasks
	 */
	public int active() {
		return this.active.get();
	}

	/**
	 * Return how many tasks have finished since start-up.
	 * @return the completed tasks
	 */
	public long completed() {
		return this.completed.get();
	}

}
