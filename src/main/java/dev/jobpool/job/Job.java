package dev.jobpool.job;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Future;

import org.jspecify.annotations.Nullable;

import dev.jobpool.execution.Routing;
import dev.jobpool.execution.TaskControl;
import dev.jobpool.execution.TaskExecutor;
import dev.jobpool.execution.TaskListener;
import dev.jobpool.execution.TaskOutcome;
import dev.jobpool.execution.TaskSubmission;
import dev.jobpool.execution.TaskWork;
import dev.jobpool.execution.WorkerInfo;
import dev.jobpool.fetch.FetchResult;

/**
 * One accepted job and its tasks: hands the tasks to its executor, at most {@code concurrency} at
 * a time, and keeps their outcomes. All state is guarded by this object's lock; executors are
 * called outside of it.
 */
public final class Job {

	/** Told of what happens to a job, for metrics and bookkeeping. */
	interface Events {

		void taskStarted(Job job, boolean firstOfJob);

		void taskEnded(Job job, TaskRun task, boolean started);

		void tasksDropped(Job job, int count);

		void jobFinished(Job job);

	}

	private final String id;

	private final JobSpec spec;

	private final Routing routing;

	private final TaskExecutor executor;

	private final int concurrency;

	private final Instant submittedAt = Instant.now();

	private final long submittedNanos = System.nanoTime();

	private final List<TaskRun> tasks;

	private final DeadlineTimer deadlines;

	private final Events events;

	private final CompletableFuture<Job> completion = new CompletableFuture<>();

	private final List<TaskRun> endedInOrder = new ArrayList<>();

	private final List<Queue<JobEvent>> watchers = new ArrayList<>();

	private JobStatus status = JobStatus.QUEUED;

	private int nextToDispatch;

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

	Job(String id, JobSpec spec, Routing routing, TaskExecutor executor, int concurrency, DeadlineTimer deadlines,
			Events events) {
		this.id = id;
		this.spec = spec;
		this.routing = routing;
		this.executor = executor;
		this.concurrency = concurrency;
		this.deadlines = deadlines;
		this.events = events;
		List<TaskWork> work = spec.work();
		List<Object> inputs = spec.inputs();
		List<TaskRun> runs = new ArrayList<>(work.size());
		for (int i = 0; i < work.size(); i++) {
			runs.add(new TaskRun(i, work.get(i), inputs.get(i), spec.options().timeout()));
		}
		this.tasks = List.copyOf(runs);
	}

	/**
	 * Return the job's id.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Return the job's type.
	 * @return the type
	 */
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
	public synchronized JobStatus status() {
		return this.status;
	}

	/**
	 * Return the number of tasks.
	 * @return the task count
	 */
	public int taskCount() {
		return this.tasks.size();
	}

	/**
	 * Return when the job was accepted.
	 * @return the submission instant
	 */
	public Instant submittedAt() {
		return this.submittedAt;
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
	 * Cancel the job: tasks not started never run, running ones are aborted.
	 * @param reason why, shown in the job
	 * @return {@code false} if the job had already finished
	 */
	boolean cancel(String reason) {
		List<TaskControl> toAbort = new ArrayList<>();
		int dropped = 0;
		synchronized (this) {
			if (this.status.isFinished()) {
				return false;
			}
			this.cancelRequested = true;
			this.cancelReason = reason;
			this.status = JobStatus.CANCELLED;
			for (TaskRun task : this.tasks) {
				if (task.index >= this.nextToDispatch) {
					task.status = TaskStatus.CANCELLED;
					task.outcome = TaskOutcome.Failed.of(task.control.failure(TaskControl.AbortReason.CANCELLED));
					dropped++;
					this.ended++;
					this.cancelled++;
					ended(task);
				}
				else if (!task.isFinished()) {
					toAbort.add(task.control);
				}
			}
			this.nextToDispatch = this.tasks.size();
		}
		if (dropped > 0) {
			this.events.tasksDropped(this, dropped);
		}
		toAbort.forEach((control) -> control.abort(TaskControl.AbortReason.CANCELLED));
		finishIfDone();
		return true;
	}

	private void dispatch() {
		List<TaskRun> toSubmit = new ArrayList<>();
		synchronized (this) {
			while (!this.cancelRequested && this.inFlight < this.concurrency
					&& this.nextToDispatch < this.tasks.size()) {
				toSubmit.add(this.tasks.get(this.nextToDispatch++));
				this.inFlight++;
			}
		}
		for (TaskRun task : toSubmit) {
			this.executor.submit(new TaskSubmission(task.work, task.control, new Listener(task)));
		}
	}

	private void finishIfDone() {
		synchronized (this) {
			if (this.ended < this.tasks.size() || this.finishedAt != null) {
				return;
			}
			this.finishedAt = Instant.now();
			this.finishedNanos = System.nanoTime();
			if (this.startedAt == null) {
				this.startedAt = this.finishedAt;
				this.startedNanos = this.finishedNanos;
			}
			if (!this.cancelRequested) {
				this.status = (this.failed > 0) ? JobStatus.FAILED : JobStatus.SUCCEEDED;
			}
			publish(new JobEvent.Finished(view(true)));
			this.watchers.clear();
		}
		this.events.jobFinished(this);
		this.completion.complete(this);
	}

	private final class Listener implements TaskListener {

		private final TaskRun task;

		private @Nullable Future<?> deadline;

		Listener(TaskRun task) {
			this.task = task;
		}

		@Override
		public void started(WorkerInfo worker) {
			this.deadline = Job.this.deadlines.watch(this.task.control);
			boolean first = false;
			synchronized (Job.this) {
				this.task.status = TaskStatus.RUNNING;
				this.task.worker = worker;
				this.task.startedAt = Instant.now();
				this.task.startedNanos = System.nanoTime();
				if (Job.this.startedAt == null) {
					first = true;
					Job.this.startedAt = this.task.startedAt;
					Job.this.startedNanos = this.task.startedNanos;
					if (Job.this.status == JobStatus.QUEUED) {
						Job.this.status = JobStatus.RUNNING;
					}
				}
			}
			Job.this.events.taskStarted(Job.this, first);
		}

		@Override
		public void retried(WorkerInfo worker) {
			synchronized (Job.this) {
				this.task.worker = worker;
				this.task.attempts++;
			}
		}

		@Override
		public void finished(TaskOutcome outcome, @Nullable Duration cpuTime) {
			Future<?> timer = this.deadline;
			if (timer != null) {
				timer.cancel(false);
			}
			boolean started;
			synchronized (Job.this) {
				started = this.task.startedAt != null;
				this.task.outcome = outcome;
				this.task.cpuTime = cpuTime;
				if (started) {
					this.task.durationNanos = System.nanoTime() - this.task.startedNanos;
				}
				this.task.status = statusOf(outcome);
				Job.this.inFlight--;
				Job.this.ended++;
				if (this.task.status == TaskStatus.FAILED) {
					Job.this.failed++;
				}
				else if (this.task.status == TaskStatus.CANCELLED) {
					Job.this.cancelled++;
				}
				ended(this.task);
			}
			Job.this.events.taskEnded(Job.this, this.task, started);
			dispatch();
			finishIfDone();
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

	}

	/**
	 * Watch the job: the queue gets every task already ended (in the order they ended), then each
	 * task as it ends, then the finished job.
	 * @return the queue of events, to drain
	 */
	public synchronized BlockingQueue<JobEvent> watch() {
		BlockingQueue<JobEvent> queue = new LinkedBlockingQueue<>();
		int ended = 0;
		int failedSoFar = 0;
		int cancelledSoFar = 0;
		for (TaskRun task : this.endedInOrder) {
			ended++;
			failedSoFar += (task.status == TaskStatus.FAILED) ? 1 : 0;
			cancelledSoFar += (task.status == TaskStatus.CANCELLED) ? 1 : 0;
			queue.add(new JobEvent.TaskEnded(taskView(task),
					new JobView.Progress(this.tasks.size(), ended, failedSoFar, cancelledSoFar)));
		}
		if (this.finishedAt != null) {
			queue.add(new JobEvent.Finished(view(true)));
		}
		else {
			this.watchers.add(queue);
		}
		return queue;
	}

	/**
	 * Stop watching the job.
	 * @param queue the queue {@link #watch()} gave
	 */
	public synchronized void unwatch(Queue<JobEvent> queue) {
		this.watchers.remove(queue);
	}

	private void ended(TaskRun task) {
		this.endedInOrder.add(task);
		publish(new JobEvent.TaskEnded(taskView(task), progress()));
	}

	private void publish(JobEvent event) {
		this.watchers.forEach((watcher) -> watcher.add(event));
	}

	private JobView.Progress progress() {
		return new JobView.Progress(this.tasks.size(), this.ended, this.failed, this.cancelled);
	}

	/**
	 * Describe the job as it is now.
	 * @param withTasks whether to include every task
	 * @return the view
	 */
	public synchronized JobView view(boolean withTasks) {
		long busyNanos = 0;
		long nowNanos = System.nanoTime();
		for (TaskRun task : this.tasks) {
			if (task.durationNanos >= 0) {
				busyNanos += task.durationNanos;
			}
			else if (task.status == TaskStatus.RUNNING) {
				busyNanos += nowNanos - task.startedNanos;
			}
		}
		double wallMs = millis(wallTime().toNanos());
		double busyMs = millis(busyNanos);
		Duration queue = queueTime();
		JobView.Timing timing = new JobView.Timing((queue != null) ? millis(queue.toNanos()) : null, wallMs, busyMs,
				(wallMs > 0) ? Math.round(busyMs / wallMs * 100) / 100.0 : null);
		List<JobView.TaskView> taskViews = withTasks ? this.tasks.stream().map(this::taskView).toList() : null;
		JobSpec.JobOptions options = this.spec.options();
		return new JobView(this.id, type(), this.routing.executor(), this.routing.requested(),
				new JobView.RoutingView(this.routing.reason()), this.concurrency, options.timeout().toMillis(),
				this.status, this.cancelReason, this.submittedAt, this.startedAt, this.finishedAt,
				progress(), timing, taskViews, result());
	}

	private JobView.TaskView taskView(TaskRun task) {
		Object result = null;
		JobView.TaskError error = null;
		if (task.outcome instanceof TaskOutcome.Succeeded succeeded) {
			result = succeeded.result();
		}
		else if (task.outcome instanceof TaskOutcome.Failed failure) {
			error = new JobView.TaskError(failure.code(), failure.message());
		}
		Double queueMs = (task.startedAt != null) ? millis(task.startedNanos - this.submittedNanos) : null;
		Double durationMs = (task.durationNanos >= 0) ? millis(task.durationNanos) : null;
		Double cpuMs = (task.cpuTime != null) ? millis(task.cpuTime.toNanos()) : null;
		return new JobView.TaskView(task.index, task.input, task.status, result, error, task.worker,
				(task.attempts > 1) ? task.attempts : null, task.startedAt, queueMs, durationMs, cpuMs);
	}

	private @Nullable Object result() {
		return switch (this.spec) {
			case JobSpec.Sum sum -> (this.status == JobStatus.SUCCEEDED) ? new JobView.SumResult(total()) : null;
			case JobSpec.Fetch fetch -> fetchSummary();
		};
	}

	private BigInteger total() {
		BigInteger total = BigInteger.ZERO;
		for (TaskRun task : this.tasks) {
			if (task.outcome instanceof TaskOutcome.Succeeded(BigInteger sum)) {
				total = total.add(sum);
			}
		}
		return total;
	}

	private JobView.FetchSummary fetchSummary() {
		int ok = 0;
		long bytes = 0;
		Map<String, Integer> statusCounts = new TreeMap<>();
		for (TaskRun task : this.tasks) {
			if (task.outcome instanceof TaskOutcome.Succeeded(FetchResult response)) {
				ok++;
				bytes += response.bytes();
				statusCounts.merge(Integer.toString(response.status()), 1, Integer::sum);
			}
		}
		return new JobView.FetchSummary(ok, this.failed + this.cancelled, bytes, statusCounts);
	}

	private static double millis(long nanos) {
		return Math.round(nanos / 1_000.0) / 1_000.0;
	}

}
