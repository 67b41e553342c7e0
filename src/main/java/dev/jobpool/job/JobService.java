package dev.jobpool.job;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.execution.ExecutorRegistry;
import dev.jobpool.execution.ExecutorRouter;
import dev.jobpool.execution.Routing;
import dev.jobpool.execution.TaskExecutor;

/**
 * Accepts jobs, routes them to an executor, and answers for them until they are evicted.
 * Admission is bounded: past {@code jobpool.jobs.max-queued-tasks} waiting tasks a job is refused
 * with {@link QueueFullException} instead of queueing without bound.
 */
@Service
public class JobService implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(JobService.class);

	private final JobProperties properties;

	private final ExecutorRouter router;

	private final ExecutorRegistry executors;

	private final JobStore store;

	private final JobMetrics metrics;

	private final DeadlineTimer deadlines;

	private final AtomicInteger queuedTasks = new AtomicInteger();

	private final Job.Events events = new Events();

	JobService(JobProperties properties, ExecutorRouter router, ExecutorRegistry executors, JobStore store,
			JobMetrics metrics, DeadlineTimer deadlines) {
		this.properties = properties;
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
	 * @throws IllegalArgumentException if the executor name is unknown (requests are validated
	 * before they get here)
	 */
	public Job submit(JobSpec spec) {
		Routing routing = this.router.route(spec.type().workload(), spec.options().executor())
			.orElseThrow(() -> new IllegalArgumentException("Unknown executor " + spec.options().executor()));
		TaskExecutor executor = this.executors.get(routing.executor());
		int tasks = spec.work().size();
		reserve(tasks);
		Job job = new Job(UUID.randomUUID().toString(), spec, routing, executor,
				concurrency(executor, spec.options().concurrency(), tasks), this.deadlines, this.events);
		executor.load().accepted(tasks);
		this.store.add(job);
		this.metrics.jobSubmitted(job.type(), routing.executor());
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

	private static int concurrency(TaskExecutor executor, @Nullable Integer requested, int tasks) {
		if (executor.kind() == ExecutorKind.SEQUENTIAL) {
			return 1;
		}
		int most = Math.max(1, Math.min(executor.size(), tasks));
		return (requested != null) ? Math.min(requested, most) : most;
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
		return job;
	}

	/**
	 * Wait for a job to finish, at most {@code wait}.
	 * @param job the job
	 * @param wait how long to wait
	 * @return whether it finished in time
	 */
	public boolean await(Job job, Duration wait) {
		try {
			job.completion().get(wait.toMillis(), TimeUnit.MILLISECONDS);
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
			throw new IllegalStateException("Job " + job.id() + " completed exceptionally", ex.getCause());
		}
	}

	/**
	 * Return how many tasks wait across all executors.
	 * @return the queued tasks
	 */
	public int queuedTasks() {
		return this.queuedTasks.get();
	}

	@Override
	public void destroy() {
		List<Job> unfinished = this.store.unfinished();
		if (!unfinished.isEmpty()) {
			logger.info("Cancelling {} unfinished jobs: the service is stopping", unfinished.size());
		}
		unfinished.forEach((job) -> job.cancel("the service stopped"));
	}

	/**
	 * Keeps the admission budget, the executors' loads and the metrics in step with the jobs.
	 */
	private final class Events implements Job.Events {

		@Override
		public void taskStarted(Job job, boolean firstOfJob) {
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
		public void taskEnded(Job job, TaskRun task, boolean started) {
			if (started) {
				executorOf(job).load().finished();
				JobService.this.metrics.taskEnded(job.type(), job.routing().executor(), task.status,
						Duration.ofNanos(Math.max(0, task.durationNanos)));
			}
			else {
				tasksDropped(job, 1);
			}
		}

		@Override
		public void tasksDropped(Job job, int count) {
			JobService.this.queuedTasks.addAndGet(-count);
			executorOf(job).load().dropped(count);
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
