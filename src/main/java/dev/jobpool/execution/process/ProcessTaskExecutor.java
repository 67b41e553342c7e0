package dev.jobpool.execution.process;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.execution.ExecutorLoad;
import dev.jobpool.execution.TaskExecutor;
import dev.jobpool.execution.TaskSubmission;
import dev.jobpool.execution.WorkerStatus;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskOutcome;
import dev.jobpool.work.WorkerSettings;

/**
 * Runs tasks in worker processes. Each of a fixed number of {@link WorkerSlot slots} owns
 * at most one worker and runs one task at a time on it; tasks wait in a bounded queue.
 * The two kinds differ only in what becomes of a slot's worker between tasks:
 * <ul>
 * <li>{@link ProcessPoolExecutor} ({@code process}) keeps it, like
 * {@code multiprocessing.Pool};</li>
 * <li>{@link SpawnExecutor} ({@code spawn}) starts a fresh one per task and stops it
 * after, like {@code multiprocessing.Process}.</li>
 * </ul>
 * A task past its deadline or cancelled has its worker killed; a worker that dies fails
 * only its own task (or runs it once more on a fresh worker, if allowed). No other task
 * or job is touched.
 */
abstract sealed class ProcessTaskExecutor implements TaskExecutor permits ProcessPoolExecutor, SpawnExecutor {

	private static final Duration POLL = Duration.ofMillis(200);

	private final ExecutorKind kind;

	private final ProcessProperties properties;

	private final List<String> command;

	private final WorkerSettings.Source settings;

	private final ProcessMetrics metrics;

	private final BlockingQueue<TaskSubmission> queue;

	private final List<WorkerSlot> slots = new ArrayList<>();

	private final ExecutorLoad load = new ExecutorLoad();

	private volatile boolean accepting = true;

	/**
	 * Create the executor and its slots; {@link #startSlots()} starts them once the
	 * subclass is built, since a slot's thread calls back into it.
	 */
	ProcessTaskExecutor(ExecutorKind kind, int size, WorkerState initialState, ProcessProperties properties,
			List<String> command, WorkerSettings.Source settings, ProcessMetrics metrics, int queueCapacity) {
		this.kind = kind;
		this.properties = properties;
		this.command = List.copyOf(command);
		this.settings = settings;
		this.metrics = metrics;
		this.queue = new LinkedBlockingQueue<>(queueCapacity);
		for (int i = 1; i <= size; i++) {
			this.slots.add(new WorkerSlot(this, i, initialState));
		}
		metrics.bindWorkers(kind, this.slots.stream().map((slot) -> (ProcessMetrics.StateSource) slot::state).toList());
	}

	final void startSlots() {
		this.slots.forEach(WorkerSlot::start);
	}

	@Override
	public final ExecutorKind kind() {
		return this.kind;
	}

	@Override
	public final int size() {
		return this.slots.size();
	}

	@Override
	public final ExecutorLoad load() {
		return this.load;
	}

	@Override
	public final List<WorkerStatus> workers() {
		return this.slots.stream().map(WorkerSlot::status).toList();
	}

	@Override
	public final void submit(TaskSubmission handed) {
		TaskSubmission submission = this.load.track(handed);
		if (!this.accepting || !this.queue.offer(submission)) {
			submission.listener()
				.finished(
						new TaskOutcome.Failed(TaskErrorCode.INTERNAL,
								this.kind.id() + " executor: " + (this.accepting ? "queue full" : "shutting down")),
						null);
		}
	}

	@Override
	public final void shutdown(Duration grace) {
		this.accepting = false;
		TaskSubmission left;
		while ((left = this.queue.poll()) != null) {
			left.listener()
				.finished(new TaskOutcome.Failed(TaskErrorCode.CANCELLED, this.kind.id() + " executor: shutting down"),
						null);
		}
		long deadline = System.nanoTime() + grace.toNanos();
		for (WorkerSlot slot : this.slots) {
			slot.awaitIdle(deadline);
		}
		this.slots.forEach(WorkerSlot::close);
	}

	/**
	 * Let a slot prepare for its next task, before it waits for one.
	 * @param slot the slot
	 */
	abstract void betweenTasks(WorkerSlot slot);

	/**
	 * Deal with a slot's worker once its task has ended and the task's listener has heard
	 * of it, and leave the slot idle or stopped.
	 * @param slot the slot
	 * @param used the worker the task ran on last
	 * @param killedFor why the worker was killed under its task, if it was (the task was
	 * aborted)
	 * @param response the worker's answer, if it answered; neither this nor
	 * {@code killedFor} when the worker died, and the slot has already let go of it
	 */
	abstract void afterTask(WorkerSlot slot, WorkerProcess used, @Nullable RestartReason killedFor,
			WorkerProtocol.@Nullable Response response);

	final ProcessProperties properties() {
		return this.properties;
	}

	final boolean accepting() {
		return this.accepting;
	}

	/**
	 * Take the next task, waiting a little for one.
	 * @return the task, or {@code null} if none came
	 * @throws InterruptedException if the slot's thread was interrupted
	 */
	final @Nullable TaskSubmission nextTask() throws InterruptedException {
		return this.queue.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Start a worker, give it its settings and wait until it is ready.
	 * @return the ready worker
	 * @throws IOException if it could not start or did not get ready in time
	 */
	final WorkerProcess startWorker() throws IOException {
		WorkerProcess started = WorkerProcess.start(this.command, this.settings.current(),
				this.properties.startTimeout());
		this.metrics.spawned(this.kind, started.startupTime());
		return started;
	}

	final void restarted(RestartReason reason) {
		this.metrics.restarted(this.kind, reason);
	}

	final void dispatched(Duration overhead) {
		this.metrics.dispatched(this.kind, overhead);
	}

}
