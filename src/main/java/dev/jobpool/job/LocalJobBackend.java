package dev.jobpool.job;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import dev.jobpool.cluster.Replica;
import dev.jobpool.execution.ExecutorRegistry;
import dev.jobpool.execution.TaskExecutor;

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

	private final ExecutorRegistry executors;

	private final InMemoryJobStore store;

	private final JobMetrics metrics;

	private final DeadlineTimer deadlines;

	private final String replicaId;

	private final AtomicInteger queuedTasks = new AtomicInteger();

	private final IdempotencyKeys idempotencyKeys;

	private final LocalJob.Events events = new Events();

	private final LocalCallbackOutbox callbacks = new LocalCallbackOutbox();

	LocalJobBackend(JobProperties properties, JobPlanner planner, ExecutorRegistry executors, JobMetrics metrics,
			DeadlineTimer deadlines, Replica replica) {
		this.properties = properties;
		this.idempotencyKeys = new IdempotencyKeys(properties.store(), Clock.systemUTC());
		this.planner = planner;
		this.executors = executors;
		this.store = new InMemoryJobStore(properties.store(), Clock.systemUTC());
		this.metrics = metrics;
		this.deadlines = deadlines;
		this.replicaId = replica.id();
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
		TaskExecutor executor = this.executors.get(plan.routing().executor());
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
			return LocalJobBackend.this.executors.get(job.routing().executor());
		}

	}

}
