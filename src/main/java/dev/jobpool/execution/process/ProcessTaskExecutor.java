package dev.jobpool.execution.process;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.execution.ExecutorLoad;
import dev.jobpool.execution.TaskExecutor;
import dev.jobpool.execution.TaskListener;
import dev.jobpool.execution.TaskSubmission;
import dev.jobpool.execution.WorkerInfo;
import dev.jobpool.execution.WorkerKind;
import dev.jobpool.execution.WorkerStatus;
import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskOutcome;
import dev.jobpool.work.WorkerSettings;

/**
 * Runs tasks in worker processes. Each of a fixed number of slots owns at most one worker
 * and runs one task at a time on it; tasks wait in a bounded queue.
 * <ul>
 * <li>{@code process}: the workers start with the service and live on, like
 * {@code multiprocessing.Pool}; one is replaced after a crash, a timeout, a cancellation,
 * or when it has run {@code max-tasks-per-worker} tasks or grown past
 * {@code max-worker-memory}.</li>
 * <li>{@code spawn}: a fresh worker per task, started and joined like
 * {@code multiprocessing.Process}.</li>
 * </ul>
 * A task past its deadline or cancelled has its worker killed; a worker that dies fails
 * only its own task (or runs it once more on a fresh worker, if allowed). No other task
 * or job is touched.
 */
public final class ProcessTaskExecutor implements TaskExecutor {

	private static final Logger logger = LoggerFactory.getLogger(ProcessTaskExecutor.class);

	private static final Duration POLL = Duration.ofMillis(200);

	/**
	 * How long a pooled worker may sit idle before it is pinged ahead of its next task. A
	 * worker that has just answered is known to be there; one that waited longer may have
	 * been stopped meanwhile, and would hold the task until its deadline.
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

	private final ExecutorKind kind;

	private final boolean pooled;

	private final ProcessProperties properties;

	private final List<String> command;

	private final WorkerSettings.Source settings;

	private volatile boolean warm;

	private final ProcessMetrics metrics;

	private final BlockingQueue<TaskSubmission> queue;

	private final List<Slot> slots = new ArrayList<>();

	private final ExecutorLoad load = new ExecutorLoad();

	private volatile boolean accepting = true;

	private ProcessTaskExecutor(ExecutorKind kind, boolean pooled, int size, ProcessProperties properties,
			List<String> command, WorkerSettings.Source settings, ProcessMetrics metrics, int queueCapacity) {
		this.kind = kind;
		this.pooled = pooled;
		this.properties = properties;
		this.command = List.copyOf(command);
		this.settings = settings;
		this.metrics = metrics;
		this.queue = new LinkedBlockingQueue<>(queueCapacity);
		for (int i = 1; i <= size; i++) {
			this.slots.add(new Slot(i));
		}
		metrics.bindWorkers(kind, this.slots.stream().map((slot) -> (ProcessMetrics.StateSource) slot::state).toList());
		this.slots.forEach(Slot::start);
	}

	/**
	 * Create the {@code process} executor: a pool of long-lived workers, started by
	 * {@link #warmUp()}. Kills first the workers a killed predecessor of this service
	 * left behind.
	 * @param properties the process settings
	 * @param command the worker command line
	 * @param settings gives each worker its settings as it starts
	 * @param metrics where to record worker events
	 * @param queueCapacity most tasks that may wait
	 * @return the executor
	 */
	public static ProcessTaskExecutor pool(ProcessProperties properties, List<String> command,
			WorkerSettings.Source settings, ProcessMetrics metrics, int queueCapacity) {
		OrphanWorkers.reap();
		return new ProcessTaskExecutor(ExecutorKind.PROCESS, true, properties.effectiveWorkers(), properties, command,
				settings, metrics, queueCapacity);
	}

	/**
	 * Create the {@code spawn} executor: a fresh worker per task.
	 * @param properties the process settings
	 * @param command the worker command line
	 * @param settings gives each worker its settings as it starts
	 * @param metrics where to record worker events
	 * @param queueCapacity most tasks that may wait
	 * @return the executor
	 */
	public static ProcessTaskExecutor spawn(ProcessProperties properties, List<String> command,
			WorkerSettings.Source settings, ProcessMetrics metrics, int queueCapacity) {
		return new ProcessTaskExecutor(ExecutorKind.SPAWN, false, properties.effectiveSpawnMaxRunning(), properties,
				command, settings, metrics, queueCapacity);
	}

	/**
	 * Start the pool's workers ahead of the first task. Called once the service knows its
	 * own address, which workers need to refuse fetching the service itself.
	 */
	public void warmUp() {
		this.warm = true;
	}

	@Override
	public ExecutorKind kind() {
		return this.kind;
	}

	@Override
	public int size() {
		return this.slots.size();
	}

	@Override
	public ExecutorLoad load() {
		return this.load;
	}

	@Override
	public List<WorkerStatus> workers() {
		return this.slots.stream().map(Slot::status).toList();
	}

	@Override
	public void submit(TaskSubmission submission) {
		if (!this.accepting || !this.queue.offer(submission)) {
			submission.listener()
				.finished(
						new TaskOutcome.Failed(TaskErrorCode.INTERNAL,
								this.kind.id() + " executor: " + (this.accepting ? "queue full" : "shutting down")),
						null);
		}
	}

	@Override
	public void shutdown(Duration grace) {
		this.accepting = false;
		TaskSubmission left;
		while ((left = this.queue.poll()) != null) {
			left.listener()
				.finished(new TaskOutcome.Failed(TaskErrorCode.CANCELLED, this.kind.id() + " executor: shutting down"),
						null);
		}
		long deadline = System.nanoTime() + grace.toNanos();
		for (Slot slot : this.slots) {
			slot.awaitIdle(deadline);
		}
		this.slots.forEach(Slot::close);
	}

	/**
	 * One worker place: a thread that takes tasks from the queue and runs them on its
	 * worker.
	 */
	private final class Slot {

		private final int index;

		private final Thread thread;

		private volatile @Nullable WorkerProcess worker;

		private volatile String state = "starting";

		private volatile int restarts;

		private volatile boolean busy;

		private @Nullable String lastStartFailure;

		private @Nullable RunningTask running;

		Slot(int index) {
			this.index = index;
			// A platform thread: it spends its life blocked on a pipe, which would pin a
			// virtual thread's carrier and make the pool compensate with new carriers on
			// every read.
			this.thread = Thread.ofPlatform()
				.name("jobpool-" + ProcessTaskExecutor.this.kind.id() + "-slot-" + index)
				.daemon()
				.unstarted(this::loop);
		}

		void start() {
			this.thread.start();
		}

		String state() {
			return this.state;
		}

		WorkerStatus status() {
			WorkerProcess current = this.worker;
			return new WorkerStatus(this.index, (current != null) ? current.pid() : null, this.state,
					(current != null) ? current.tasksDone() : 0,
					(current != null) ? Duration.between(current.startedAt(), Instant.now()).toMillis() : 0,
					this.restarts);
		}

		private void loop() {
			this.state = ProcessTaskExecutor.this.pooled ? "starting" : "idle";
			while (ProcessTaskExecutor.this.accepting) {
				WorkerProcess idle = this.worker;
				if (ProcessTaskExecutor.this.pooled && ProcessTaskExecutor.this.warm
						&& (idle == null || !idle.isAlive())) {
					this.state = (ensureWorker() != null) ? "idle" : "stopped";
				}
				TaskSubmission submission;
				try {
					submission = ProcessTaskExecutor.this.queue.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
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

		private @Nullable WorkerProcess ensureWorker() {
			WorkerProcess current = this.worker;
			if (current != null && current.isAlive()) {
				return current;
			}
			if (current != null) {
				logger.warn("{} executor: worker pid {} died while idle (exit status {}); replacing it",
						ProcessTaskExecutor.this.kind.id(), current.pid(), current.exitStatus());
				restarted("crash");
				this.worker = null;
			}
			this.state = "starting";
			try {
				List<String> command = new ArrayList<>(ProcessTaskExecutor.this.command);
				if (ProcessTaskExecutor.this.pooled) {
					// A long-lived worker pays once to have the sum loop compiled before
					// its first task.
					command.add("--warm-up=true");
				}
				WorkerProcess started = WorkerProcess.start(command, ProcessTaskExecutor.this.settings.current(),
						ProcessTaskExecutor.this.properties.startTimeout());
				ProcessTaskExecutor.this.metrics.spawned(ProcessTaskExecutor.this.kind, started.startupTime());
				this.worker = started;
				return started;
			}
			catch (IOException ex) {
				logger.warn("{} executor: worker {} could not start: {}", ProcessTaskExecutor.this.kind.id(),
						this.index, ex.getMessage());
				restarted("start_failed");
				this.lastStartFailure = ex.getMessage();
				this.worker = null;
				return null;
			}
		}

		/** Count a worker replaced, in the slot's status and in the metrics. */
		private void restarted(String reason) {
			ProcessTaskExecutor.this.metrics.restarted(ProcessTaskExecutor.this.kind, reason);
			this.restarts++;
		}

		/**
		 * Return a worker for a task, trying again with a short backoff when one dies
		 * while it starts, as long as the task may still run.
		 * @param control the task's control
		 * @param ping whether to ping a worker that has been idle a while
		 * @return the worker, or {@code null} if none could be started
		 */
		private @Nullable WorkerProcess workerFor(TaskControl control, boolean ping) {
			Duration backoff = START_BACKOFF;
			for (int attempt = 1;; attempt++) {
				WorkerProcess found = ping ? responsiveWorker() : ensureWorker();
				if (found != null || attempt >= START_ATTEMPTS || !ProcessTaskExecutor.this.accepting
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
			if (current == null || !ProcessTaskExecutor.this.pooled
					|| current.idleTime().compareTo(PING_WHEN_IDLE_FOR) < 0) {
				return current;
			}
			Duration timeout = ProcessTaskExecutor.this.properties.pingTimeout();
			if (current.ping(timeout)) {
				return current;
			}
			current.kill();
			int exit = current.exitStatus();
			logger.warn("{} executor: worker pid {} did not answer a ping within {} ms (exit status {}); replacing it",
					ProcessTaskExecutor.this.kind.id(), current.pid(), timeout.toMillis(), exit);
			restarted("unresponsive");
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
				this.state = "stopped";
				if (!submission.endIfAborted()) {
					listener
						.finished(
								new TaskOutcome.Failed(TaskErrorCode.WORKER_LOST,
										"no worker process could be started in " + START_ATTEMPTS
												+ " attempts; the task never ran (" + this.lastStartFailure + ")"),
								null);
				}
				return;
			}
			this.state = "busy";
			control.start();
			listener.started(info(current));
			RunningTask task = new RunningTask(current);
			synchronized (this) {
				this.running = task;
			}
			control.onAbort(task::kill);
			TaskOutcome outcome;
			Duration cpu = null;
			String replaceBecause = null;
			boolean retried = false;
			while (true) {
				try {
					long sent = System.nanoTime();
					WorkerProtocol.Response response = task.worker
						.run(new WorkerProtocol.Request(submission.work(), Math.max(1, control.remaining().toNanos())));
					ProcessTaskExecutor.this.metrics.dispatched(ProcessTaskExecutor.this.kind,
							Duration.ofNanos(Math.max(0, System.nanoTime() - sent - response.runNanos())));
					outcome = outcomeOf(response);
					cpu = (response.cpuNanos() >= 0) ? Duration.ofNanos(response.cpuNanos()) : null;
					replaceBecause = recycleReason(task.worker, response);
					break;
				}
				catch (IOException ex) {
					TaskControl.AbortReason reason = control.abortReason();
					if (reason != null) {
						outcome = TaskOutcome.Failed.of(control.failure(reason));
						replaceBecause = (reason == TaskControl.AbortReason.TIMEOUT) ? "timeout" : "cancel";
						break;
					}
					int exit = task.worker.exitStatus();
					restarted("crash");
					this.worker = null;
					String lost = "worker pid " + task.worker.pid() + " died while running the task (exit status "
							+ exit + ")";
					if (ProcessTaskExecutor.this.properties.retryLostTasks() && !retried && !control.expired()) {
						retried = true;
						WorkerProcess fresh = workerFor(control, false);
						if (fresh != null && task.rebind(fresh)) {
							logger.info("{}: running the task once more on worker pid {}", lost, fresh.pid());
							listener.retried(info(fresh));
							continue;
						}
						if (fresh == null) {
							lost += "; no fresh worker could be started to run it again (" + this.lastStartFailure
									+ ")";
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
			afterTask(task.worker, replaceBecause);
		}

		private void afterTask(WorkerProcess used, @Nullable String replaceBecause) {
			if (!ProcessTaskExecutor.this.pooled) {
				used.stop(Duration.ofSeconds(5));
				this.worker = null;
				return;
			}
			if (replaceBecause != null) {
				used.kill();
				used.exitStatus();
				restarted(replaceBecause);
				this.worker = null;
			}
			if (ProcessTaskExecutor.this.accepting && ensureWorker() == null) {
				this.state = "stopped";
			}
			else {
				this.state = "idle";
			}
		}

		private @Nullable String recycleReason(WorkerProcess used, WorkerProtocol.Response response) {
			if (!ProcessTaskExecutor.this.pooled) {
				return null;
			}
			int maxTasks = ProcessTaskExecutor.this.properties.maxTasksPerWorker();
			if (maxTasks > 0 && used.tasksDone() >= maxTasks) {
				return "recycle";
			}
			if (response.rssBytes() > ProcessTaskExecutor.this.properties.maxWorkerMemory().toBytes()) {
				return "recycle";
			}
			return null;
		}

		private WorkerInfo info(WorkerProcess process) {
			return new WorkerInfo(WorkerKind.PROCESS, ProcessTaskExecutor.this.kind.id() + "-worker-" + this.index,
					process.pid());
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
			this.state = "stopped";
		}

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
