package dev.jobpool.job;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import dev.jobpool.cluster.Replica;
import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.execution.ExecutorLoad;
import dev.jobpool.execution.ExecutorRegistry;
import dev.jobpool.execution.TaskExecutor;
import dev.jobpool.execution.TaskSubmission;
import dev.jobpool.execution.WorkerStatus;

/**
 * The in-memory store, the default: jobs live in this JVM and run on its executors until
 * they are evicted. Admission is bounded: past {@code jobpool.jobs.max-queued-tasks}
 * waiting tasks a job is refused with {@link QueueFullException} instead of queueing
 * without bound.
 */
@Component
@ConditionalOnProperty(name = "jobpool.store", havingValue = "memory", matchIfMissing = true)
class LocalJobBackend implements JobBackend {

	private static final Logger logger = LoggerFactory.getLogger(LocalJobBackend.class);

	private final JobProperties properties;

	private final JobPlanner planner;

	private final Function<ExecutorKind, TaskExecutor> executors;

	private final InMemoryJobStore store;

	private final JobMetrics metrics;

	private final DeadlineTimer deadlines;

	private final String replicaId;

	private final AtomicInteger queuedTasks = new AtomicInteger();

	private final IdempotencyKeys idempotencyKeys;

	private final LocalJob.Events events = new Events();

	private final LocalCallbackOutbox callbacks = new LocalCallbackOutbox();

	@Autowired
	LocalJobBackend(JobProperties properties, JobPlanner planner, ExecutorRegistry executors, JobMetrics metrics,
			DeadlineTimer deadlines, Replica replica) {
		this(properties, planner, executors::get, metrics, deadlines, replica.id());
	}

	private LocalJobBackend(JobProperties properties, JobPlanner planner,
			Function<ExecutorKind, TaskExecutor> executors, JobMetrics metrics, DeadlineTimer deadlines,
			String replicaId) {
		this.properties = properties;
		this.idempotencyKeys = new IdempotencyKeys(properties.store(), Clock.systemUTC());
		this.planner = planner;
		this.executors = executors;
		this.store = new InMemoryJobStore(properties.store(), Clock.systemUTC());
		this.metrics = metrics;
		this.deadlines = deadlines;
		this.replicaId = replicaId;
	}

	/**
	 * Create a store for rehearsals: it plans and runs jobs as the in-memory store does,
	 * on the same executors, but keeps them to itself, records them in meters of its own
	 * that nothing publishes, and hands the executors its tasks as rehearsals, which they
	 * do not count.
	 * @param properties the job settings
	 * @param planner plans the jobs
	 * @param executors the service's executors
	 * @param deadlines aborts tasks past their deadline
	 * @param replicaId this replica's id, shown on each task's worker
	 * @return the store, empty
	 */
	static LocalJobBackend forRehearsals(JobProperties properties, JobPlanner planner, ExecutorRegistry executors,
			DeadlineTimer deadlines, String replicaId) {
		Map<ExecutorKind, TaskExecutor> rehearsing = new EnumMap<>(ExecutorKind.class);
		executors.all()
			.forEach((executor) -> rehearsing.put(executor.kind(),
					new RehearsingExecutor(executor, new ExecutorLoad())));
		return new LocalJobBackend(properties, planner, (kind) -> {
			TaskExecutor executor = rehearsing.get(kind);
			return (executor != null) ? executor : executors.get(kind);
		}, new JobMetrics(new SimpleMeterRegistry()), deadlines, replicaId);
	}

	@Override
	public Job submit(JobSpec spec, @Nullable String idempotencyKey) {
		if (idempotencyKey == null) {
			return submit(spec);
		}
		return this.idempotencyKeys.findOrCreate(idempotencyKey, spec, this::find, () -> submit(spec));
	}

	private Job submit(JobSpec spec) {
		JobPlan plan = this.planner.plan(spec, 1);
		TaskExecutor executor = this.executors.apply(plan.routing().executor());
		int unitCount = plan.units().size();
		LocalJob job = new LocalJob(UUID.randomUUID().toString(), spec, plan.routing(), executor, plan.concurrency(),
				plan.units(), this.deadlines, this.events, this.replicaId);
		reserve(unitCount);
		executor.load().accepted(unitCount);
		this.store.add(job);
		this.metrics.jobSubmitted(job.type(), plan.routing().executor());
		job.start();
		return job;
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

	@Override
	public Optional<Job> find(String id) {
		return this.store.find(id).map(Job.class::cast);
	}

	@Override
	public List<Job> list(@Nullable JobStatus status, @Nullable JobType type, int limit) {
		return List.copyOf(this.store.list(status, type, limit));
	}

	@Override
	public CallbackOutbox callbacks() {
		return this.callbacks;
	}

	@Override
	public int queuedTasks() {
		return this.queuedTasks.get();
	}

	/**
	 * Let running jobs finish within the grace, then cancel what is left, so that no job
	 * stays running once the service has stopped.
	 */
	@Override
	public void drain(Duration grace) {
		List<LocalJob> unfinished = this.store.unfinished();
		if (unfinished.isEmpty()) {
			return;
		}
		logger.info("Stopping: waiting up to {} for {} unfinished jobs", grace, unfinished.size());
		try {
			CompletableFuture.allOf(unfinished.stream().map(LocalJob::completion).toArray(CompletableFuture[]::new))
				.get(grace.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			cancelUnfinished("the service shut down before the job finished");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			cancelUnfinished("the service shut down before the job finished");
		}
	}

	private void cancelUnfinished(String reason) {
		List<LocalJob> left = this.store.unfinished();
		left.forEach((job) -> {
			if (job.cancel(reason)) {
				logger.info("Cancelled job {}: {}", job.id(), reason);
			}
		});
		// Cancelled tasks end within moments (threads interrupted, workers killed): wait
		// for them.
		try {
			CompletableFuture.allOf(left.stream().map(LocalJob::completion).toArray(CompletableFuture[]::new))
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
	public void abandon() {
		List<LocalJob> unfinished = this.store.unfinished();
		if (!unfinished.isEmpty()) {
			logger.info("Cancelling {} unfinished jobs: the service is stopping", unfinished.size());
		}
		unfinished.forEach((job) -> job.cancel("the service shut down before the job finished"));
	}

	/**
	 * Keeps the admission budget, the units a job accepted for its executor but never
	 * handed over, and the metrics in step with the jobs.
	 */
	private final class Events implements LocalJob.Events {

		@Override
		public void unitStarted(LocalJob job, boolean firstOfJob) {
			LocalJobBackend.this.queuedTasks.decrementAndGet();
			if (firstOfJob) {
				Duration queueTime = job.queueTime();
				if (queueTime != null) {
					LocalJobBackend.this.metrics.jobStarted(job.type(), job.routing().executor(), queueTime);
				}
			}
		}

		@Override
		public void unitEnded(LocalJob job, boolean started) {
			// The executor counted the unit's start and end in its own load.
			if (!started) {
				LocalJobBackend.this.queuedTasks.decrementAndGet();
			}
		}

		@Override
		public void unitsDropped(LocalJob job, int count) {
			// Never handed to the executor: only its job knows they will not run.
			LocalJobBackend.this.queuedTasks.addAndGet(-count);
			executorOf(job).load().dropped(count);
		}

		@Override
		public void taskEnded(LocalJob job, TaskRun task) {
			if (task.startedAt != null) {
				LocalJobBackend.this.metrics.taskEnded(job.type(), job.routing().executor(), task.status,
						Duration.ofNanos(Math.max(0, task.durationNanos)));
			}
		}

		@Override
		public void jobFinished(LocalJob job) {
			if (job.hasCallback()) {
				LocalJobBackend.this.callbacks.ended(job);
			}
			LocalJobBackend.this.metrics.jobFinished(job.type(), job.routing().executor(), job.status(),
					job.wallTime());
		}

		private TaskExecutor executorOf(LocalJob job) {
			return LocalJobBackend.this.executors.apply(job.routing().executor());
		}

	}

	/**
	 * An executor as a rehearsal sees it: it hands the executor its tasks as rehearsals,
	 * and counts them in a load of its own, so that the executor's counts stay as they
	 * were.
	 *
	 * @param executor the service's executor
	 * @param load the rehearsal's count of the executor's tasks
	 */
	private record RehearsingExecutor(TaskExecutor executor, ExecutorLoad load) implements TaskExecutor {

		@Override
		public ExecutorKind kind() {
			return this.executor.kind();
		}

		@Override
		public int size() {
			return this.executor.size();
		}

		@Override
		public List<WorkerStatus> workers() {
			return this.executor.workers();
		}

		@Override
		public void submit(TaskSubmission submission) {
			this.executor.submit(submission.asRehearsal());
		}

		/** The service shuts its executors down itself. */
		@Override
		public void shutdown(Duration grace) {
		}

	}

}
