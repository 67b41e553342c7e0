package dev.jobpool.bench;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.job.Job;
import dev.jobpool.job.JobAlreadyFinishedException;
import dev.jobpool.job.JobNotFoundException;
import dev.jobpool.job.JobProperties;
import dev.jobpool.job.JobService;
import dev.jobpool.job.JobStatus;
import dev.jobpool.job.JobView;
import dev.jobpool.job.ServiceShuttingDownException;
import dev.jobpool.job.TaskStatus;

/**
 * Runs benchmarks one at a time, service-wide, on one runner thread fed by a bounded
 * queue: each run is a real job submitted through {@link JobService} (admitted like any
 * job), and the next run starts only when the previous one has ended, so that no two runs
 * share the machine.
 */
@Service
class BenchmarkService implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(BenchmarkService.class);

	private static final String SHUT_DOWN = "the service shut down before the benchmark finished";

	private final JobService jobs;

	private final BenchmarkProperties properties;

	private final Duration jobRetryAfter;

	private final BenchmarkMetrics metrics;

	private final BenchmarkStore store;

	private volatile ThreadPoolExecutor runner;

	private volatile boolean running;

	private volatile boolean shuttingDown;

	BenchmarkService(JobService jobs, BenchmarkProperties properties, JobProperties jobProperties,
			BenchmarkMetrics metrics) {
		this.jobs = jobs;
		this.properties = properties;
		this.jobRetryAfter = jobProperties.retryAfter();
		this.metrics = metrics;
		this.store = new BenchmarkStore(properties.maxKept());
		this.runner = newRunner(properties);
	}

	/**
	 * One thread: benchmarks never overlap. It mostly waits for jobs, so a virtual thread
	 * will do.
	 */
	private static ThreadPoolExecutor newRunner(BenchmarkProperties properties) {
		return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(properties.maxQueued()),
				Thread.ofVirtual().name("jobpool-benchmark-", 1).factory(), new ThreadPoolExecutor.AbortPolicy());
	}

	/**
	 * Accept a benchmark and queue it behind the one running, if any.
	 * @param plan the validated request
	 * @return the benchmark, queued or already running
	 * @throws BenchmarkQueueFullException if {@code max-queued} benchmarks wait already
	 * @throws ServiceShuttingDownException if the service is stopping
	 */
	Benchmark submit(BenchmarkPlan plan) {
		if (this.shuttingDown) {
			throw new ServiceShuttingDownException(this.jobRetryAfter);
		}
		Benchmark benchmark = new Benchmark(UUID.randomUUID().toString(), plan);
		try {
			this.runner.execute(new BenchmarkRun(benchmark));
		}
		catch (RejectedExecutionException ex) {
			throw new BenchmarkQueueFullException(this.properties.maxQueued(), this.properties.retryAfter());
		}
		this.store.add(benchmark);
		return benchmark;
	}

	/**
	 * Find a benchmark.
	 * @param id its id
	 * @return the benchmark
	 * @throws BenchmarkNotFoundException if unknown or evicted
	 */
	Benchmark get(String id) {
		return this.store.find(id).orElseThrow(() -> new BenchmarkNotFoundException(id));
	}

	/**
	 * List benchmarks, newest first.
	 * @param limit at most this many
	 * @return the benchmarks
	 */
	List<Benchmark> list(int limit) {
		return this.store.newestFirst(limit);
	}

	/**
	 * Cancel a benchmark: it makes no more runs, and its run going on has its job
	 * cancelled.
	 * @param id its id
	 * @return the benchmark
	 * @throws BenchmarkNotFoundException if unknown or evicted
	 * @throws BenchmarkAlreadyFinishedException if it has already ended
	 */
	Benchmark cancel(String id) {
		Benchmark benchmark = get(id);
		cancel(benchmark, "cancelled by request");
		return benchmark;
	}

	private void cancel(Benchmark benchmark, String reason) {
		Job running = benchmark.cancel(reason);
		// A queued benchmark leaves the queue at once, so that it no longer takes a place
		// there.
		this.runner.getQueue().removeIf((run) -> run instanceof BenchmarkRun queued && queued.benchmark == benchmark);
		if (running != null) {
			try {
				this.jobs.cancel(running.id());
			}
			catch (JobAlreadyFinishedException | JobNotFoundException ex) {
				// The run ended meanwhile: nothing left to stop.
			}
		}
	}

	/**
	 * Wait for a benchmark to end, at most {@code wait}.
	 * @param benchmark the benchmark
	 * @param wait how long to wait
	 * @return whether it ended in time
	 */
	boolean await(Benchmark benchmark, Duration wait) {
		return JobService.awaitCompletion(benchmark.completion(), wait);
	}

	/**
	 * Take benchmarks: at start-up, and again when a stopped context is restarted (as
	 * paused test contexts are), with a fresh runner if the last stop shut it down.
	 */
	@Override
	public void start() {
		if (this.runner.isShutdown()) {
			this.runner = newRunner(this.properties);
		}
		this.shuttingDown = false;
		this.running = true;
	}

	/**
	 * Take no more benchmarks and cancel those not finished, with the job of the run
	 * going on, so that the jobs' own graceful shutdown does not wait for a benchmark's
	 * remaining runs.
	 */
	@Override
	public void stop() {
		this.shuttingDown = true;
		for (Benchmark benchmark : this.store.unfinished()) {
			try {
				cancel(benchmark, SHUT_DOWN);
			}
			catch (BenchmarkAlreadyFinishedException ex) {
				// It ended meanwhile.
			}
		}
		this.runner.shutdown();
		try {
			if (!this.runner.awaitTermination(5, TimeUnit.SECONDS)) {
				this.runner.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			this.runner.shutdownNow();
			Thread.currentThread().interrupt();
		}
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stop with the jobs (same phase); a benchmark depends on {@link JobService}, so it
	 * is stopped first.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

	/**
	 * Make the runs of one benchmark, executor after executor, one job at a time.
	 */
	private final class BenchmarkRun implements Runnable {

		private final Benchmark benchmark;

		BenchmarkRun(Benchmark benchmark) {
			this.benchmark = benchmark;
		}

		@Override
		public void run() {
			if (!this.benchmark.start()) {
				return;
			}
			try {
				String failure = runAll();
				this.benchmark.finish((failure != null) ? BenchmarkStatus.FAILED : BenchmarkStatus.SUCCEEDED, failure);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.benchmark.finish(BenchmarkStatus.CANCELLED, SHUT_DOWN);
			}
			catch (RuntimeException ex) {
				logger.error("Benchmark {} broke", this.benchmark.id(), ex);
				this.benchmark.finish(BenchmarkStatus.FAILED, "an unexpected error occurred; it has been logged");
			}
		}

		/**
		 * Make every run.
		 * @return why the benchmark failed, or {@code null} if it did not (or was
		 * cancelled)
		 */
		private @Nullable String runAll() throws InterruptedException {
			BenchmarkPlan plan = this.benchmark.plan();
			int perExecutor = plan.warmup() + plan.repeat();
			for (ExecutorKind executor : plan.executors()) {
				for (int i = 0; i < perExecutor; i++) {
					boolean counted = i >= plan.warmup();
					String which = (counted ? "run " + (i - plan.warmup() + 1) + " of " + plan.repeat()
							: "warm-up " + (i + 1) + " of " + plan.warmup()) + " on " + executor.id();
					Benchmark.Run run;
					try {
						run = this.benchmark.submit(executor, BenchmarkService.this.jobs::submit);
					}
					catch (RuntimeException ex) {
						return which + ": the job was refused: " + ex.getMessage();
					}
					if (run == null) {
						return null;
					}
					long end = awaitEnd(run);
					JobView job = run.job().view(false);
					if (job.status() != JobStatus.SUCCEEDED) {
						return (this.benchmark.status().isFinished()) ? null
								: which + ": " + describe(run.job().view(true));
					}
					if (this.benchmark.recordRun(run, counted, end - run.startNanos(), job.timing().parallelism())
							&& counted) {
						BenchmarkService.this.metrics.runCounted(job.type());
					}
				}
			}
			return null;
		}

		private static long awaitEnd(Benchmark.Run run) throws InterruptedException {
			try {
				return run.endNanos().get();
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException("Job " + run.job().id() + " completed exceptionally", ex.getCause());
			}
		}

		private static String describe(JobView job) {
			String what = "job " + job.id() + " " + job.status().id();
			if (job.status() == JobStatus.CANCELLED) {
				return what + ((job.cancelReason() != null) ? " (" + job.cancelReason() + ")" : "");
			}
			List<JobView.TaskView> tasks = (job.tasks() != null) ? job.tasks() : List.of();
			Optional<JobView.TaskView> first = tasks.stream()
				.filter((task) -> task.status() == TaskStatus.FAILED)
				.findFirst();
			return what + ": " + job.progress().failed() + " of " + job.progress().total() + " tasks failed"
					+ first
						.map((task) -> " (first: task " + task.index()
								+ ((task.error() != null)
										? ", " + task.error().code().code() + ": " + task.error().message() : "")
								+ ")")
						.orElse("");
		}

	}

}
