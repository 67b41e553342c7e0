package dev.jobpool.execution.process;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobpool.execution.TaskListener;
import dev.jobpool.execution.TaskSubmission;
import dev.jobpool.execution.WorkerInfo;
import dev.jobpool.execution.WorkerKind;
import dev.jobpool.execution.WorkerStatus;
import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskOutcome;

/**
 * One worker place of a process executor: a thread that takes tasks from the executor's
 * queue and runs them one at a time on the slot's worker process, starting one when it
 * has none. What becomes of the worker between tasks, its executor says
 * ({@link ProcessTaskExecutor#betweenTasks}, {@link ProcessTaskExecutor#afterTask}).
 */
final class WorkerSlot {

	private static final Logger logger = LoggerFactory.getLogger(WorkerSlot.class);

	/**
	 * How long a worker may sit idle before it is pinged ahead of its next task. A worker
	 * that has just answered (or just started) is known to be there; one that waited
	 * longer may have been stopped meanwhile, and would hold the task until its deadline.
	 */
	private static final Duration PING_WHEN_IDLE_FOR = Duration.ofMillis(500);

	/**
	 * How many times a slot tries to start a worker for a task before it gives up on it.
	 * The task never ran, so trying again is safe; a command line that cannot start at
	 * all still fails the task within about 20 seconds.
	 */
	private static final int START_ATTEMPTS = 20;

	private static final Duration START_BACKOFF = Duration.ofMillis(100);

	private static final Duration MAX_START_BACKOFF = Duration.ofSeconds(1);

	private final ProcessTaskExecutor executor;

	private final int index;

	private final Thread thread;

	private volatile @Nullable WorkerProcess worker;

	private volatile WorkerState state;

	private volatile int restarts;

	private volatile boolean busy;

	private @Nullable String lastStartFailure;

	private @Nullable RunningTask running;

	WorkerSlot(ProcessTaskExecutor executor, int index, WorkerState initialState) {
		this.executor = executor;
		this.index = index;
		this.state = initialState;
		// A platform thread: it spends its life blocked on a pipe, which would pin a
		// virtual thread's carrier and make the pool compensate with new carriers on
		// every read.
		this.thread = Thread.ofPlatform()
			.name("jobpool-" + executor.kind().id() + "-slot-" + index)
			.daemon()
			.unstarted(this::loop);
	}

	void start() {
		this.thread.start();
	}

	WorkerState state() {
		return this.state;
	}

	WorkerStatus status() {
		WorkerProcess current = this.worker;
		return new WorkerStatus(this.index, (current != null) ? current.pid() : null, this.state.id(),
				(current != null) ? current.tasksDone() : 0,
				(current != null) ? Duration.between(current.startedAt(), Instant.now()).toMillis() : 0, this.restarts);
	}

	private void loop() {
		while (this.executor.accepting()) {
			this.executor.betweenTasks(this);
			TaskSubmission submission;
			try {
				submission = this.executor.nextTask();
			}
			catch (InterruptedException ex) {
				return;
			}
			if (submission != null) {
				this.busy = true;
				try {
					handle(submission);
				}
				finally {
					this.busy = false;
				}
			}
		}
	}

	/**
	 * Return whether the slot has a worker that is alive.
	 * @return {@code true} if it has one
	 */
	boolean hasLiveWorker() {
		WorkerProcess current = this.worker;
		return current != null && current.isAlive();
	}

	/**
	 * Have a ready worker waiting for the next task, starting one if the slot has none:
	 * the slot is idle then, or stopped if none could be started.
	 */
	void keepWorkerReady() {
		this.state = (ensureWorker() != null) ? WorkerState.IDLE : WorkerState.STOPPED;
	}

	/**
	 * Kill a worker that must not run another task, and count it replaced.
	 * @param used the slot's worker
	 * @param reason why it is replaced
	 */
	void replace(WorkerProcess used, RestartReason reason) {
		used.kill();
		used.exitStatus();
		restarted(reason);
		this.worker = null;
	}

	/**
	 * Stop a worker whose task has ended, and wait idle for the next task without one.
	 * @param used the slot's worker
	 */
	void release(WorkerProcess used) {
		used.stop(Duration.ofSeconds(5));
		this.worker = null;
		this.state = WorkerState.IDLE;
	}

	/** Wait idle for the next task. */
	void idle() {
		this.state = WorkerState.IDLE;
	}

	private @Nullable WorkerProcess ensureWorker() {
		WorkerProcess current = this.worker;
		if (current != null && current.isAlive()) {
			return current;
		}
		if (current != null) {
			logger.warn("{} executor: worker pid {} died while idle (exit status {}); replacing it",
					this.executor.kind().id(), current.pid(), current.exitStatus());
			restarted(RestartReason.CRASH);
			this.worker = null;
		}
		this.state = WorkerState.STARTING;
		try {
			WorkerProcess started = this.executor.startWorker();
			this.worker = started;
			return started;
		}
		catch (IOException ex) {
			logger.warn("{} executor: worker {} could not start: {}", this.executor.kind().id(), this.index,
					ex.getMessage());
			restarted(RestartReason.START_FAILED);
			this.lastStartFailure = ex.getMessage();
			this.worker = null;
			return null;
		}
	}

	/** Count a worker replaced, in the slot's status and in the metrics. */
	private void restarted(RestartReason reason) {
		this.executor.restarted(reason);
		this.restarts++;
	}

	/**
	 * Return a worker for a task, trying again with a short backoff when one dies while
	 * it starts, as long as the task may still run.
	 * @param control the task's control
	 * @param ping whether to ping a worker that has been idle a while
	 * @return the worker, or {@code null} if none could be started
	 */
	private @Nullable WorkerProcess workerFor(TaskControl control, boolean ping) {
		Duration backoff = START_BACKOFF;
		for (int attempt = 1;; attempt++) {
			WorkerProcess found = ping ? responsiveWorker() : ensureWorker();
			if (found != null || attempt >= START_ATTEMPTS || !this.executor.accepting()
					|| control.abortReason() != null || control.expired()) {
				return found;
			}
			try {
				Thread.sleep(backoff);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
			backoff = (backoff.multipliedBy(2).compareTo(MAX_START_BACKOFF) < 0) ? backoff.multipliedBy(2)
					: MAX_START_BACKOFF;
		}
	}

	/**
	 * Return a worker that answers, replacing one that has been idle a while and no
	 * longer answers a ping.
	 */
	private @Nullable WorkerProcess responsiveWorker() {
		WorkerProcess current = ensureWorker();
		if (current == null || current.idleTime().compareTo(PING_WHEN_IDLE_FOR) < 0) {
			return current;
		}
		Duration timeout = this.executor.properties().pingTimeout();
		if (current.ping(timeout)) {
			return current;
		}
		current.kill();
		int exit = current.exitStatus();
		logger.warn("{} executor: worker pid {} did not answer a ping within {} ms (exit status {}); replacing it",
				this.executor.kind().id(), current.pid(), timeout.toMillis(), exit);
		restarted(RestartReason.UNRESPONSIVE);
		this.worker = null;
		return ensureWorker();
	}

	private void handle(TaskSubmission submission) {
		TaskControl control = submission.control();
		TaskListener listener = submission.listener();
		if (submission.endIfAborted()) {
			return;
		}
		WorkerProcess current = workerFor(control, true);
		if (current == null) {
			this.state = WorkerState.STOPPED;
			if (!submission.endIfAborted()) {
				listener.finished(
						new TaskOutcome.Failed(TaskErrorCode.WORKER_LOST, "no worker process could be started in "
								+ START_ATTEMPTS + " attempts; the task never ran (" + this.lastStartFailure + ")"),
						null);
			}
			return;
		}
		this.state = WorkerState.BUSY;
		control.start();
		listener.started(info(current));
		RunningTask task = new RunningTask(current);
		synchronized (this) {
			this.running = task;
		}
		control.onAbort(task::kill);
		TaskOutcome outcome;
		Duration cpu = null;
		WorkerProtocol.Response response = null;
		RestartReason killedFor = null;
		boolean retried = false;
		while (true) {
			try {
				long sent = System.nanoTime();
				response = task.worker.run(
						new WorkerProtocol.Request(submission.work(), Math.max(1, control.remaining().toNanos())),
						!submission.rehearsal());
				if (!submission.rehearsal()) {
					this.executor
						.dispatched(Duration.ofNanos(Math.max(0, System.nanoTime() - sent - response.runNanos())));
				}
				outcome = outcomeOf(response);
				cpu = (response.cpuNanos() >= 0) ? Duration.ofNanos(response.cpuNanos()) : null;
				break;
			}
			catch (IOException ex) {
				TaskControl.AbortReason reason = control.abortReason();
				if (reason != null) {
					outcome = TaskOutcome.Failed.of(control.failure(reason));
					killedFor = RestartReason.of(reason);
					break;
				}
				int exit = task.worker.exitStatus();
				restarted(RestartReason.CRASH);
				this.worker = null;
				String lost = "worker pid " + task.worker.pid() + " died while running the task (exit status " + exit
						+ ")";
				if (this.executor.properties().retryLostTasks() && !retried && !control.expired()) {
					retried = true;
					WorkerProcess fresh = workerFor(control, false);
					if (fresh != null && task.rebind(fresh)) {
						logger.info("{}: running the task once more on worker pid {}", lost, fresh.pid());
						listener.retried(info(fresh));
						continue;
					}
					if (fresh == null) {
						lost += "; no fresh worker could be started to run it again (" + this.lastStartFailure + ")";
					}
				}
				outcome = new TaskOutcome.Failed(TaskErrorCode.WORKER_LOST, lost);
				break;
			}
		}
		task.finish();
		synchronized (this) {
			this.running = null;
		}
		// The slot reads idle only once afterTask has replaced the worker if it must.
		listener.finished(outcome, cpu);
		this.executor.afterTask(this, task.worker, killedFor, response);
	}

	private WorkerInfo info(WorkerProcess process) {
		return new WorkerInfo(WorkerKind.PROCESS, this.executor.kind().id() + "-worker-" + this.index, process.pid());
	}

	void awaitIdle(long deadlineNanos) {
		while (this.busy && System.nanoTime() < deadlineNanos) {
			try {
				this.thread.join(Duration.ofMillis(50));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	void close() {
		RunningTask task;
		synchronized (this) {
			task = this.running;
		}
		if (task != null) {
			task.kill();
		}
		this.thread.interrupt();
		WorkerProcess current = this.worker;
		if (current != null) {
			current.stop(Duration.ofSeconds(2));
		}
		this.state = WorkerState.STOPPED;
	}

	private static TaskOutcome outcomeOf(WorkerProtocol.Response response) {
		if (response.result() != null) {
			return new TaskOutcome.Succeeded(response.result());
		}
		TaskErrorCode code = (response.errorCode() != null) ? response.errorCode() : TaskErrorCode.INTERNAL;
		return new TaskOutcome.Failed(code, String.valueOf(response.errorMessage()));
	}

	/**
	 * A task in flight on a worker: an abort kills that worker, and only while the task
	 * runs on it.
	 */
	private static final class RunningTask {

		private WorkerProcess worker;

		private boolean done;

		RunningTask(WorkerProcess worker) {
			this.worker = worker;
		}

		synchronized void kill() {
			if (!this.done) {
				this.worker.kill();
			}
		}

		synchronized boolean rebind(WorkerProcess fresh) {
			if (this.done) {
				return false;
			}
			this.worker = fresh;
			return true;
		}

		synchronized void finish() {
			this.done = true;
		}

	}

}
