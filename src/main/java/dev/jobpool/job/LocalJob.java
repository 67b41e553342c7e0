package dev.jobpool.job;

import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.jobpool.execution.Routing;
import dev.jobpool.execution.TaskExecutor;
import dev.jobpool.execution.TaskListener;
import dev.jobpool.execution.TaskSubmission;
import dev.jobpool.execution.WorkerInfo;
import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskOutcome;
import dev.jobpool.task.TaskResult;
import dev.jobpool.task.TaskWork;

/**
 * One accepted job of the in-memory store and its tasks: hands the tasks to its executor,
 * at most {@code concurrency} at a time, and keeps their outcomes. All state is guarded
 * by this object's lock; executors are called outside of it.
 */
final class LocalJob implements Job {

	/** Told of what happens to a job, for metrics and bookkeeping. */
	interface Events {

		/** A unit of work started on a worker. */
		void unitStarted(LocalJob job, boolean firstOfJob);

		/**
		 * A unit of work ended; {@code started} is false for one cancelled while it
		 * waited.
		 */
		void unitEnded(LocalJob job, boolean started);

		/** Units of work that will never be handed to the executor. */
		void unitsDropped(LocalJob job, int count);

		/** A task ended: all its units did. */
		void taskEnded(LocalJob job, TaskRun task);

		void jobFinished(LocalJob job);

	}

	/**
	 * One piece of a task handed to the executor: the whole task, or one chunk of a large
	 * sum.
	 */
	private record Unit(TaskRun task, TaskWork work) {
	}

	private final String id;

	private final JobSpec spec;

	private final Routing routing;

	private final TaskExecutor executor;

	private final JobConcurrency concurrency;

	private final Instant submittedAt = Instant.now();

	private final long submittedNanos = System.nanoTime();

	private final List<TaskRun> tasks;

	private final List<Unit> units;

	private final boolean[] skipped;

	private final DeadlineTimer deadlines;

	private final Events events;

	private final String replicaId;

	private final @Nullable CallbackState callback;

	private final CompletableFuture<Job> completion = new CompletableFuture<>();

	private final JobEventLog eventLog = new JobEventLog();

	private JobStatus status = JobStatus.QUEUED;

	private int nextUnit;

	private int inFlight;

	private int ended;

	private int failed;

	private int cancelled;

	private boolean cancelRequested;

	private @Nullable String cancelReason;

	private @Nullable Instant startedAt;

	private long startedNanos;

	private @Nullable Instant finishedAt;

	private long finishedNanos;

	LocalJob(String id, JobSpec spec, Routing routing, TaskExecutor executor, JobConcurrency concurrency,
			List<WorkUnit> workUnits, DeadlineTimer deadlines, Events events, String replicaId) {
		this.replicaId = replicaId;
		URI callbackUrl = spec.options().callback();
		this.callback = (callbackUrl != null) ? new CallbackState(callbackUrl) : null;
		this.id = id;
		this.spec = spec;
		this.routing = routing;
		this.executor = executor;
		this.concurrency = concurrency;
		this.deadlines = deadlines;
		this.events = events;
		List<Object> inputs = spec.inputs();
		int[] unitsPerTask = new int[inputs.size()];
		workUnits.forEach((unit) -> unitsPerTask[unit.task()]++);
		List<TaskRun> runs = new ArrayList<>(inputs.size());
		for (int i = 0; i < inputs.size(); i++) {
			runs.add(new TaskRun(i, inputs.get(i), unitsPerTask[i], spec.options().timeout()));
		}
		this.tasks = List.copyOf(runs);
		this.units = workUnits.stream().map((unit) -> new Unit(runs.get(unit.task()), unit.work())).toList();
		this.skipped = new boolean[this.units.size()];
	}

	/**
	 * Return the job's id.
	 * @return the id
	 */
	@Override
	public String id() {
		return this.id;
	}

	/**
	 * Return the job's type.
	 * @return the type
	 */
	@Override
	public JobType type() {
		return this.spec.type();
	}

	/**
	 * Return where the job runs and why.
	 * @return the routing
	 */
	public Routing routing() {
		return this.routing;
	}

	/**
	 * Return the job's status now.
	 * @return the status
	 */
	@Override
	public synchronized JobStatus status() {
		return this.status;
	}

	/**
	 * Return when the job finished, if it has.
	 * @return the finish instant or {@code null}
	 */
	public synchronized @Nullable Instant finishedAt() {
		return this.finishedAt;
	}

	/**
	 * Return a future completed with this job once every task has ended.
	 * @return the completion
	 */
	@Override
	public CompletableFuture<Job> completion() {
		return this.completion;
	}

	/**
	 * Return how long the job waited before its first task started, once it has.
	 * @return the queue time, or {@code null} while queued
	 */
	synchronized @Nullable Duration queueTime() {
		return (this.startedAt != null) ? Duration.ofNanos(this.startedNanos - this.submittedNanos) : null;
	}

	/**
	 * Return the job's wall time: from its first task's start to its end (or now).
	 * @return the wall time
	 */
	synchronized Duration wallTime() {
		if (this.startedAt == null) {
			return Duration.ZERO;
		}
		long end = (this.finishedAt != null) ? this.finishedNanos : System.nanoTime();
		return Duration.ofNanos(end - this.startedNanos);
	}

	void start() {
		dispatch();
	}

	/**
	 * Cancel the job: tasks not started never run, running ones are aborted. The job
	 * becomes {@link JobStatus#CANCELLED} once the last aborted task has ended; a second
	 * cancel while that happens changes nothing.
	 * @param reason why, shown in the job
	 * @return {@code false} if the job had already finished
	 */
	@Override
	public boolean cancel(String reason) {
		List<TaskControl> toAbort = new ArrayList<>();
		List<TaskRun> endedNow = new ArrayList<>();
		int dropped;
		synchronized (this) {
			if (this.status.isFinished()) {
				return false;
			}
			if (this.cancelRequested) {
				return true;
			}
			// The status turns cancelled only once every task has ended (finishIfDone):
			// until then the job shows its cancelReason and stays queued or running.
			this.cancelRequested = true;
			this.cancelReason = reason;
			dropped = 0;
			for (int i = this.nextUnit; i < this.units.size(); i++) {
				if (this.skipped[i]) {
					continue;
				}
				this.skipped[i] = true;
				dropped++;
				TaskRun task = this.units.get(i).task();
				task.unitsEnded++;
				if (!task.isFinished()) {
					task.outcome = cancelledOutcome();
					if (task.unitsEnded == task.units) {
						endTask(task);
						endedNow.add(task);
					}
				}
			}
			this.nextUnit = this.units.size();
			for (TaskRun task : this.tasks) {
				toAbort.addAll(task.running);
			}
		}
		if (dropped > 0) {
			this.events.unitsDropped(this, dropped);
		}
		endedNow.forEach((task) -> this.events.taskEnded(this, task));
		toAbort.forEach((control) -> control.abort(TaskControl.AbortReason.CANCELLED));
		finishIfDone();
		return true;
	}

	private static TaskOutcome cancelledOutcome() {
		return new TaskOutcome.Failed(TaskErrorCode.CANCELLED, "task was cancelled");
	}

	private void dispatch() {
		List<TaskSubmission> toSubmit = new ArrayList<>();
		synchronized (this) {
			while (!this.cancelRequested && this.inFlight < this.concurrency.effective()
					&& this.nextUnit < this.units.size()) {
				int next = this.nextUnit++;
				if (this.skipped[next]) {
					continue;
				}
				Unit unit = this.units.get(next);
				TaskRun task = unit.task();
				TaskControl control = TaskControl.unstarted(task.timeLeft());
				task.running.add(control);
				toSubmit.add(new TaskSubmission(unit.work(), control, new Listener(task, control)));
				this.inFlight++;
			}
		}
		toSubmit.forEach(this.executor::submit);
	}

	private void finishIfDone() {
		synchronized (this) {
			if (this.ended < this.tasks.size() || this.inFlight > 0 || this.finishedAt != null) {
				return;
			}
			this.finishedAt = Instant.now();
			this.finishedNanos = System.nanoTime();
			if (this.startedAt == null) {
				this.startedAt = this.finishedAt;
				this.startedNanos = this.finishedNanos;
			}
			if (this.cancelRequested) {
				this.status = JobStatus.CANCELLED;
			}
			else {
				this.status = (this.failed > 0) ? JobStatus.FAILED : JobStatus.SUCCEEDED;
			}
			this.eventLog.finished();
		}
		this.events.jobFinished(this);
		this.completion.complete(this);
	}

	/** Marks a task ended and counts it; call with the lock held. */
	private void endTask(TaskRun task) {
		TaskOutcome outcome = task.outcome;
		if (outcome == null || outcome instanceof TaskOutcome.Succeeded) {
			task.outcome = (this.spec instanceof JobSpec.Sum && task.units > 1)
					? new TaskOutcome.Succeeded(new TaskResult.Sum(task.partialSum)) : outcome;
			task.status = TaskStatus.SUCCEEDED;
		}
		else {
			task.status = statusOf(outcome);
		}
		if (task.startedAt != null) {
			task.durationNanos = System.nanoTime() - task.startedNanos;
		}
		this.ended++;
		if (task.status == TaskStatus.FAILED) {
			this.failed++;
		}
		else if (task.status == TaskStatus.CANCELLED) {
			this.cancelled++;
		}
		ended(task);
	}

	private static TaskStatus statusOf(TaskOutcome outcome) {
		return switch (outcome) {
			case TaskOutcome.Succeeded succeeded -> TaskStatus.SUCCEEDED;
			case TaskOutcome.Failed failure -> switch (failure.code()) {
				case CANCELLED -> TaskStatus.CANCELLED;
				default -> TaskStatus.FAILED;
			};
		};
	}

	/** Hears of one unit of a task from the executor. */
	private final class Listener implements TaskListener {

		private final TaskRun task;

		private final TaskControl control;

		private @Nullable Future<?> deadline;

		private boolean started;

		Listener(TaskRun task, TaskControl control) {
			this.task = task;
			this.control = control;
		}

		@Override
		public void started(WorkerInfo worker) {
			this.deadline = LocalJob.this.deadlines.watch(this.control);
			boolean first = false;
			synchronized (LocalJob.this) {
				this.started = true;
				if (this.task.startedAt == null) {
					this.task.status = TaskStatus.RUNNING;
					this.task.worker = worker.onReplica(LocalJob.this.replicaId);
					this.task.startedAt = Instant.now();
					this.task.startedNanos = System.nanoTime();
				}
				if (LocalJob.this.startedAt == null) {
					first = true;
					LocalJob.this.startedAt = this.task.startedAt;
					LocalJob.this.startedNanos = this.task.startedNanos;
					if (LocalJob.this.status == JobStatus.QUEUED) {
						LocalJob.this.status = JobStatus.RUNNING;
					}
				}
			}
			LocalJob.this.events.unitStarted(LocalJob.this, first);
		}

		@Override
		public void retried(WorkerInfo worker) {
			synchronized (LocalJob.this) {
				this.task.worker = worker.onReplica(LocalJob.this.replicaId);
				this.task.attempts++;
			}
		}

		@Override
		public void finished(TaskOutcome outcome, @Nullable Duration cpuTime) {
			Future<?> timer = this.deadline;
			if (timer != null) {
				timer.cancel(false);
			}
			List<TaskControl> siblings = List.of();
			int dropped = 0;
			boolean taskEnded = false;
			synchronized (LocalJob.this) {
				TaskRun run = this.task;
				run.running.remove(this.control);
				run.unitsEnded++;
				if (this.started) {
					run.addCpu(cpuTime);
				}
				LocalJob.this.inFlight--;
				if (!run.isFinished()) {
					if (outcome instanceof TaskOutcome.Succeeded(TaskResult result)) {
						if (result instanceof TaskResult.Sum(BigInteger sum) && run.units > 1) {
							run.partialSum = run.partialSum.add(sum);
						}
						else {
							run.outcome = outcome;
						}
					}
					else if (run.outcome == null || run.outcome instanceof TaskOutcome.Succeeded) {
						// The first failure decides: the task's other chunks stop or
						// never start.
						run.outcome = outcome;
						siblings = List.copyOf(run.running);
						dropped = skipRemainingUnits(run);
					}
					if (run.unitsEnded == run.units) {
						endTask(run);
						taskEnded = true;
					}
				}
			}
			LocalJob.this.events.unitEnded(LocalJob.this, this.started);
			if (dropped > 0) {
				LocalJob.this.events.unitsDropped(LocalJob.this, dropped);
			}
			if (taskEnded) {
				LocalJob.this.events.taskEnded(LocalJob.this, this.task);
			}
			siblings.forEach((sibling) -> sibling.abort(TaskControl.AbortReason.CANCELLED));
			dispatch();
			finishIfDone();
		}

	}

	/**
	 * Marks the task's units not yet handed out as never to run; call with the lock held.
	 */
	private int skipRemainingUnits(TaskRun task) {
		int count = 0;
		for (int i = this.nextUnit; i < this.units.size(); i++) {
			if (!this.skipped[i] && this.units.get(i).task() == task) {
				this.skipped[i] = true;
				task.unitsEnded++;
				count++;
			}
		}
		return count;
	}

	/**
	 * Watch the job: {@code onChange} runs (with the job's lock held, so it must only
	 * wake a waiting reader) each time a task ends and when the job finishes. Events are
	 * then pulled with {@link #eventsFrom(int, int)}, so a watcher holds only a cursor,
	 * not a copy of every event.
	 * @param onChange what wakes the watcher
	 */
	@Override
	public synchronized void watch(Runnable onChange) {
		this.eventLog.watch(onChange);
	}

	/**
	 * Stop watching the job.
	 * @param onChange what {@link #watch(Runnable)} was given
	 */
	@Override
	public synchronized void unwatch(Runnable onChange) {
		this.eventLog.unwatch(onChange);
	}

	/**
	 * Return the events after the first {@code cursor} ended tasks: at most {@code max}
	 * tasks in the order they ended, then the finished job once the watcher has had every
	 * task of a finished job.
	 * @param cursor how many ended tasks the watcher has had already
	 * @param max most task events to return
	 * @return the events, empty if nothing new happened
	 */
	@Override
	public synchronized List<JobEvent> eventsFrom(int cursor, int max) {
		return this.eventLog.from(cursor, max, this::taskView, () -> (this.finishedAt != null) ? view(true) : null);
	}

	private void ended(TaskRun task) {
		this.eventLog.ended(task, progress());
	}

	private JobView.Progress progress() {
		return new JobView.Progress(this.tasks.size(), this.ended, this.failed, this.cancelled);
	}

	/**
	 * Describe the job as it is now.
	 * @param withTasks whether to include every task
	 * @return the view
	 */
	@Override
	public synchronized JobView view(boolean withTasks) {
		double wallMs = TaskViews.millis(wallTime().toNanos());
		double busyMs = TaskViews.millis(TaskViews.busyNanos(this.tasks, System.nanoTime()));
		Duration queue = queueTime();
		JobView.Timing timing = new JobView.Timing((queue != null) ? TaskViews.millis(queue.toNanos()) : null, wallMs,
				busyMs, (wallMs > 0) ? Math.round(busyMs / wallMs * 100) / 100.0 : null);
		List<JobView.TaskView> taskViews = withTasks ? this.tasks.stream().map(this::taskView).toList() : null;
		JobSpec.JobOptions options = this.spec.options();
		return new JobView(this.id, type(), this.routing.executor(), this.routing.requested(),
				new JobView.RoutingView(this.routing.reason()), this.concurrency.effective(),
				this.concurrency.requested(), this.concurrency.reason(), options.timeout().toMillis(), this.status,
				this.cancelReason, this.submittedAt, this.startedAt, this.finishedAt, progress(), timing, taskViews,
				result(), callbackView());
	}

	private JobView.@Nullable CallbackView callbackView() {
		CallbackState state = this.callback;
		return (state != null) ? state.view() : null;
	}

	boolean hasCallback() {
		return this.callback != null;
	}

	/** Return the callback's body, made once at the first attempt. */
	synchronized String callbackBody(Supplier<String> first) {
		return state().body(first);
	}

	synchronized void callbackAttempted(CallbackAttempt attempt) {
		state().attempted(attempt);
	}

	private CallbackState state() {
		CallbackState state = this.callback;
		if (state == null) {
			throw new IllegalStateException("Job " + this.id + " has no callback");
		}
		return state;
	}

	private JobView.TaskView taskView(TaskRun task) {
		return TaskViews.of(task, this.submittedNanos);
	}

	private @Nullable Object result() {
		return switch (this.spec) {
			case JobSpec.Sum sum ->
				(this.status == JobStatus.SUCCEEDED) ? new JobView.SumResult(TaskViews.total(this.tasks)) : null;
			case JobSpec.Fetch fetch -> TaskViews.fetchSummary(this.tasks, this.failed + this.cancelled);
		};
	}

}
