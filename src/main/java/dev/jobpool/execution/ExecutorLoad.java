package dev.jobpool.execution;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import dev.jobpool.task.TaskOutcome;

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

	/**
	 * Count a submission's start and end here, as its executor sees them: the executor
	 * calls this as it takes the submission, and runs the one returned. A rehearsal is
	 * not counted.
	 * @param submission what the job handed over
	 * @return the same work, whose listener also counts its start and end
	 */
	public TaskSubmission track(TaskSubmission submission) {
		if (submission.rehearsal()) {
			return submission;
		}
		TaskListener listener = submission.listener();
		return new TaskSubmission(submission.work(), submission.control(), new TaskListener() {

			private volatile boolean started;

			@Override
			public void started(WorkerInfo worker) {
				this.started = true;
				ExecutorLoad.this.started();
				listener.started(worker);
			}

			@Override
			public void retried(WorkerInfo worker) {
				listener.retried(worker);
			}

			@Override
			public void finished(TaskOutcome outcome, @Nullable Duration cpuTime) {
				if (this.started) {
					ExecutorLoad.this.finished();
				}
				else {
					ExecutorLoad.this.dropped(1);
				}
				listener.finished(outcome, cpuTime);
			}

		});
	}

}
