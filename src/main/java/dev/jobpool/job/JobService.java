package dev.jobpool.job;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.execution.ExecutorProperties;
import dev.jobpool.execution.ExecutorRegistry;
import dev.jobpool.execution.ExecutorRouter;
import dev.jobpool.execution.Routing;
import dev.jobpool.execution.TaskExecutor;
import dev.jobpool.task.TaskWork;

/**
 * Accepts jobs, routes them to an executor, and answers for them until they are evicted.
 * Admission is bounded: past {@code jobpool.jobs.max-queued-tasks} waiting tasks a job is
 * refused with {@link QueueFullException} instead of queueing without bound.
 */
@Service
public class JobService implements SmartLifecycle, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(JobService.class);

	/** How long a DELETE waits for the cancelled job's running tasks to stop. */
	static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

	private final JobProperties properties;

	private final ExecutorRouter router;

	private final ExecutorRegistry executors;

	private final JobStore store;

	private final JobMetrics metrics;

	private final DeadlineTimer deadlines;

	private final AtomicInteger queuedTasks = new AtomicInteger();

	private final IdempotencyKeys idempotencyKeys;

	private final Duration shutdownGrace;

	private volatile boolean running;

	private volatile boolean shuttingDown;

	private final Job.Events events = new Events();

	JobService(JobProperties properties, ExecutorProperties executorProperties, ExecutorRouter router,
			ExecutorRegistry executors, JobStore store, JobMetrics metrics, DeadlineTimer deadlines) {
		this.properties = properties;
		this.shutdownGrace = executorProperties.shutdownGrace();
		this.idempotencyKeys = new IdempotencyKeys(properties.store(), Clock.systemUTC());
		this.router = router;
		this.executors = executors;
		this.store = store;
		this.metrics = metrics;
		this.deadlines = deadlines;
	}

	/**
	 * Accept a job and start it.
	 * @param spec the validated request
	 * @return the job, already queued or running
	 * @throws QueueFullException if too many tasks wait already
	 * @throws IllegalArgumentException if the executor name is unknown (requests are
	 * validated before they get here)
	 */
	public Job submit(JobSpec spec) {
		if (this.shuttingDown) {
			throw new ServiceShuttingDownException(this.properties.retryAfter());
		}
		Routing routing = this.router.route(spec.type().workload(), spec.options().executor())
			.orElseThrow(() -> new IllegalArgumentException("Unknown executor " + spec.options().executor()));
		TaskExecutor executor = this.executors.get(routing.executor());
		List<WorkUnit> units = plan(spec, executor);
		int unitCount = units.size();
		Job job = new Job(
				UUID.randomUUID().toString(), spec, routing, executor, JobConcurrency.of(executor.kind(),
						executor.size(), spec.options().concurrency(), unitCount, spec.inputs().size()),
				units, this.deadlines, this.events);
		reserve(unitCount);
		executor.load().accepted(unitCount);
		this.store.add(job);
		this.metrics.jobSubmitted(job.type(), routing.executor());
		job.start();
		return job;
	}

	/**
	 * Cut large sums into chunks that idle workers take, so that three sums on two cores
	 * do not leave one core idle half the time. Only pools of workers gain from it.
	 */
	private List<WorkUnit> plan(JobSpec spec, TaskExecutor executor) {
		int chunksPerTask = this.properties.sumChunksPerTask();
		if (spec instanceof JobSpec.Sum sum && chunksPerTask != 1
				&& (executor.kind() == ExecutorKind.PLATFORM || executor.kind() == ExecutorKind.PROCESS)) {
			long minChunk = this.properties.sumChunkMinSize();
			return (chunksPerTask > 1) ? SumChunks.perTask(sum.numbers(), chunksPerTask, minChunk)
					: SumChunks.shares(sum.numbers(), workers(executor, spec.options().concurrency()), minChunk);
		}
		List<TaskWork> work = spec.work();
		return IntStream.range(0, work.size()).mapToObj((task) -> new WorkUnit(task, work.get(task))).toList();
	}

	/**
	 * Accept a job once per idempotency key: a retry with the same key and the same
	 * request gets the job the first request created.
	 * @param spec the validated request
	 * @param idempotencyKey the client's key, or {@code null} to always create a job
	 * @return the job
	 * @throws IdempotencyKeyReusedException if the key came before with a different
	 * request
	 */
	public Job submit(JobSpec spec, @Nullable String idempotencyKey) {
		if (idempotencyKey == null) {
			return submit(spec);
		}
		return this.idempotencyKeys.findOrCreate(idempotencyKey, spec, this.store::find, () -> submit(spec));
	}

	private void reserve(int tasks) {
		int limit = this.properties.maxQueuedTasks();
		while (true) {
			int queued = this.queuedTasks.get();
			if (queued + tasks > limit) {
				throw new QueueFullException(tasks, queued, limit, this.properties.retryAfter());
			}
			if (this.queuedTasks.compareAndSet(queued, queued + tasks)) {
				return;
			}
		}
	}

	/** Return how many of the executor's workers a job may use at once. */
	private static int workers(TaskExecutor executor, @Nullable Integer requested) {
		return JobConcurrency.workers(executor.kind(), executor.size(), requested);
	}

	/**
	 * Find a job.
	 * @param id its id
	 * @return the job
	 * @throws JobNotFoundException if unknown or evicted
	 */
	public Job get(String id) {
		return this.store.find(id).orElseThrow(() -> new JobNotFoundException(id));
	}

	/**
	 * List jobs, newest first.
	 * @param status only this status, or all
	 * @param type only this type, or all
	 * @param limit at most this many
	 * @return the jobs
	 */
	public List<Job> list(@Nullable JobStatus status, @Nullable JobType type, int limit) {
		return this.store.list(status, type, limit);
	}

	/**
	 * Cancel a job: its waiting tasks never run and its running ones are interrupted.
	 * Waits a few seconds for them to end; a job whose tasks take longer is returned
	 * still running, with its {@code cancelReason}.
	 * @param id the job's id
	 * @return the job
	 * @throws JobNotFoundException if unknown or evicted
	 * @throws JobAlreadyFinishedException if it has already finished
	 */
	public Job cancel(String id) {
		Job job = get(id);
		if (!job.cancel("cancelled by request")) {
			throw new JobAlreadyFinishedException(id, job.status());
		}
		// Aborted tasks take a moment to stop; waiting for them lets the answer be the
		// cancelled job rather than one whose tasks still run.
		await(job, CANCEL_WAIT);
		return job;
	}

	/**
	 * Wait for a job to finish, at most {@code wait}.
	 * @param job the job
	 * @param wait how long to wait
	 * @return whether it finished in time
	 */
	public boolean await(Job job, Duration wait) {
		return awaitCompletion(job.completion(), wait);
	}

	/**
	 * Wait for something the service runs to end, at most {@code wait}; an interrupt ends
	 * the wait early and is kept.
	 * @param completion completed when it ends
	 * @param wait how long to wait
	 * @return whether it ended in time
	 */
	public static boolean awaitCompletion(CompletableFuture<?> completion, Duration wait) {
		try {
			completion.get(wait.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Completed exceptionally", ex.getCause());
		}
	}

	/**
	 * Take jobs: at start-up, and again when a stopped context is restarted (as test
	 * contexts are).
	 */
	@Override
	public void start() {
		this.shuttingDown = false;
		this.running = true;
	}

	/**
	 * Stop taking jobs (POST answers 503), let running jobs finish within the shutdown
	 * grace, then cancel what is left, so that no job stays running once the service has
	 * stopped.
	 */
	@Override
	public void stop() {
		this.shuttingDown = true;
		List<Job> unfinished = this.store.unfinished();
		if (!unfinished.isEmpty()) {
			logger.info("Stopping: waiting up to {} for {} unfinished jobs", this.shutdownGrace, unfinished.size());
			try {
				CompletableFuture.allOf(unfinished.stream().map(Job::completion).toArray(CompletableFuture[]::new))
					.get(this.shutdownGrace.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException | ExecutionException ex) {
				cancelUnfinished("the service shut down before the job finished");
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				cancelUnfinished("the service shut down before the job finished");
			}
		}
		this.running = false;
	}

	private void cancelUnfinished(String reason) {
		List<Job> left = this.store.unfinished();
		left.forEach((job) -> {
			if (job.cancel(reason)) {
				logger.info("Cancelled job {}: {}", job.id(), reason);
			}
		});
		// Cancelled tasks end within moments (threads interrupted, workers killed): wait
		// for them.
		try {
			CompletableFuture.allOf(left.stream().map(Job::completion).toArray(CompletableFuture[]::new))
				.get(5, TimeUnit.SECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			logger.warn("Some cancelled jobs did not end within 5s");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stop before the web server, so that requests are still answered (with 503) while
	 * jobs drain.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

	@Override
	public void destroy() {
		List<Job> unfinished = this.store.unfinished();
		if (!unfinished.isEmpty()) {
			logger.info("Cancelling {} unfinished jobs: the service is stopping", unfinished.size());
		}
		unfinished.forEach((job) -> job.cancel("the service shut down before the job finished"));
	}

	/**
	 * Keeps the admission budget, the executors' loads and the metrics in step with the
	 * jobs.
	 */
	private final class Events implements Job.Events {

		@Override
		public void unitStarted(Job job, boolean firstOfJob) {
			JobService.this.queuedTasks.decrementAndGet();
			executorOf(job).load().started();
			if (firstOfJob) {
				Duration queueTime = job.queueTime();
				if (queueTime != null) {
					JobService.this.metrics.jobStarted(job.type(), job.routing().executor(), queueTime);
				}
			}
		}

		@Override
		public void unitEnded(Job job, boolean started) {
			if (started) {
				executorOf(job).load().finished();
			}
			else {
				unitsDropped(job, 1);
			}
		}

		@Override
		public void unitsDropped(Job job, int count) {
			JobService.this.queuedTasks.addAndGet(-count);
			executorOf(job).load().dropped(count);
		}

		@Override
		public void taskEnded(Job job, TaskRun task) {
			if (task.startedAt != null) {
				JobService.this.metrics.taskEnded(job.type(), job.routing().executor(), task.status,
						Duration.ofNanos(Math.max(0, task.durationNanos)));
			}
		}

		@Override
		public void jobFinished(Job job) {
			JobService.this.metrics.jobFinished(job.type(), job.routing().executor(), job.status(), job.wallTime());
		}

		private TaskExecutor executorOf(Job job) {
			return JobService.this.executors.get(job.routing().executor());
		}

	}

}
