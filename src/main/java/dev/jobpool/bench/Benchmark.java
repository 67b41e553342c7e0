package dev.jobpool.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.job.Job;
import dev.jobpool.job.JobSpec;

/**
 * One accepted benchmark: its plan, the runs that ended, and the run going on. All state
 * is guarded by this object's lock; the runner thread drives it, requests read it and may
 * cancel it.
 */
final class Benchmark {

	private final String id;

	private final BenchmarkPlan plan;

	private final Instant submittedAt = Instant.now();

	private final CompletableFuture<Benchmark> completion = new CompletableFuture<>();

	private final Map<ExecutorKind, Runs> runs = new LinkedHashMap<>();

	private BenchmarkStatus status = BenchmarkStatus.QUEUED;

	private @Nullable String reason;

	private @Nullable Instant startedAt;

	private @Nullable Instant finishedAt;

	private int runsDone;

	private @Nullable Job current;

	private @Nullable ExecutorKind currentExecutor;

	Benchmark(String id, BenchmarkPlan plan) {
		this.id = id;
		this.plan = plan;
		plan.executors().forEach((executor) -> this.runs.put(executor, new Runs()));
	}

	String id() {
		return this.id;
	}

	BenchmarkPlan plan() {
		return this.plan;
	}

	synchronized BenchmarkStatus status() {
		return this.status;
	}

	synchronized @Nullable Instant finishedAt() {
		return this.finishedAt;
	}

	/**
	 * Return a future completed with this benchmark once it has ended.
	 * @return the completion
	 */
	CompletableFuture<Benchmark> completion() {
		return this.completion;
	}

	/**
	 * Mark the benchmark running, unless it was cancelled while it waited.
	 * @return whether it should run
	 */
	synchronized boolean start() {
		if (this.status != BenchmarkStatus.QUEUED) {
			return false;
		}
		this.status = BenchmarkStatus.RUNNING;
		this.startedAt = Instant.now();
		return true;
	}

	/**
	 * Submit the job of the next run, unless the benchmark has ended, and start its
	 * clock. Under the lock, so that a cancellation either comes first (no job is
	 * submitted) or sees the job.
	 * @param executor the executor of the run
	 * @param submit submits a job
	 * @return the run, or {@code null} if the benchmark has ended
	 */
	synchronized @Nullable Run submit(ExecutorKind executor, Function<JobSpec, Job> submit) {
		if (this.status.isFinished()) {
			return null;
		}
		JobSpec spec = this.plan.jobFor(executor);
		long start = System.nanoTime();
		Job job = submit.apply(spec);
		// Runs on the thread that completes the job (or here if it already has): the
		// clock stops when the job's last task ends, not when the runner wakes up.
		CompletableFuture<Long> ended = job.completion().thenApply((done) -> System.nanoTime());
		this.current = job;
		this.currentExecutor = executor;
		return new Run(executor, job, start, ended);
	}

	/**
	 * Record a run whose job succeeded.
	 * @param run the run
	 * @param counted whether it counts (warm-ups do not)
	 * @param wallNanos its wall time
	 * @param parallelism its job's parallelism
	 * @return {@code false} if the benchmark had ended meanwhile
	 */
	synchronized boolean recordRun(Run run, boolean counted, long wallNanos, @Nullable Double parallelism) {
		if (this.status.isFinished()) {
			return false;
		}
		this.runsDone++;
		this.current = null;
		this.currentExecutor = null;
		Runs executorRuns = this.runs.get(run.executor());
		if (counted) {
			executorRuns.wallMs.add(millis(wallNanos));
			executorRuns.jobIds.add(run.job().id());
			if (parallelism != null) {
				executorRuns.parallelism.add(parallelism);
			}
		}
		else {
			executorRuns.warmupJobIds.add(run.job().id());
		}
		return true;
	}

	/**
	 * End the benchmark as succeeded or failed, unless it has ended already (cancelled).
	 * @param status succeeded or failed
	 * @param reason why it failed, or {@code null}
	 */
	void finish(BenchmarkStatus status, @Nullable String reason) {
		synchronized (this) {
			if (this.status.isFinished()) {
				return;
			}
			end(status, reason);
		}
		this.completion.complete(this);
	}

	/**
	 * Cancel the benchmark: no more runs are submitted.
	 * @param why the reason shown
	 * @return the job of the run going on, to cancel, or {@code null}
	 * @throws BenchmarkAlreadyFinishedException if it has already ended
	 */
	@Nullable Job cancel(String why) {
		Job running;
		synchronized (this) {
			if (this.status.isFinished()) {
				throw new BenchmarkAlreadyFinishedException(this.id, this.status);
			}
			running = this.current;
			end(BenchmarkStatus.CANCELLED, why);
		}
		this.completion.complete(this);
		return running;
	}

	private void end(BenchmarkStatus status, @Nullable String why) {
		this.status = status;
		this.reason = why;
		this.finishedAt = Instant.now();
		this.current = null;
		this.currentExecutor = null;
	}

	/**
	 * Describe the benchmark as it is now.
	 * @param withInputs whether to include the job's numbers or URLs
	 * @return the view
	 */
	synchronized BenchmarkView view(boolean withInputs) {
		List<BenchmarkView.ExecutorResult> results = new ArrayList<>();
		Runs sequential = this.runs.get(ExecutorKind.SEQUENTIAL);
		Double baseline = (sequential != null) ? median(sequential.wallMs) : null;
		ExecutorKind winner = null;
		double best = Double.MAX_VALUE;
		for (Map.Entry<ExecutorKind, Runs> entry : this.runs.entrySet()) {
			Runs executorRuns = entry.getValue();
			Double median = median(executorRuns.wallMs);
			Double speedup = (baseline != null && median != null && median > 0)
					? Math.round(baseline / median * 100) / 100.0 : null;
			results.add(new BenchmarkView.ExecutorResult(entry.getKey(), executorRuns.wallMs.size(), median,
					executorRuns.wallMs.isEmpty() ? null : Collections.min(executorRuns.wallMs),
					executorRuns.wallMs.isEmpty() ? null : Collections.max(executorRuns.wallMs),
					median(executorRuns.parallelism), speedup, List.copyOf(executorRuns.wallMs),
					List.copyOf(executorRuns.jobIds), List.copyOf(executorRuns.warmupJobIds)));
			if (median != null && median < best) {
				best = median;
				winner = entry.getKey();
			}
		}
		JobSpec job = this.plan.job();
		List<Long> numbers = null;
		List<String> urls = null;
		if (withInputs) {
			switch (job) {
				case JobSpec.Sum sum -> numbers = sum.numbers();
				case JobSpec.Fetch fetch -> urls = fetch.inputs().stream().map(String::valueOf).toList();
			}
		}
		BenchmarkView.JobRequestView jobView = new BenchmarkView.JobRequestView(job.type(), job.work().size(), numbers,
				urls, job.options().concurrency(), job.options().timeout().toMillis());
		BenchmarkView.Progress progress = new BenchmarkView.Progress(this.plan.totalRuns(), this.runsDone,
				this.currentExecutor, (this.current != null) ? this.current.id() : null);
		return new BenchmarkView(this.id, this.status, this.reason,
				new BenchmarkView.RequestView(jobView, this.plan.executors(), this.plan.repeat(), this.plan.warmup()),
				this.submittedAt, this.startedAt, this.finishedAt, progress, results, winner,
				"/api/benchmarks/" + this.id + "/chart.svg");
	}

	static @Nullable Double median(List<Double> values) {
		if (values.isEmpty()) {
			return null;
		}
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int middle = sorted.size() / 2;
		double median = (sorted.size() % 2 == 1) ? sorted.get(middle)
				: (sorted.get(middle - 1) + sorted.get(middle)) / 2;
		return Math.round(median * 1000) / 1000.0;
	}

	private static double millis(long nanos) {
		return Math.round(nanos / 1_000.0) / 1_000.0;
	}

	/**
	 * A run going on: its job and its clock.
	 *
	 * @param executor the executor it runs on
	 * @param job its job
	 * @param startNanos when its job was submitted
	 * @param endNanos completed with the moment its job ended
	 */
	record Run(ExecutorKind executor, Job job, long startNanos, CompletableFuture<Long> endNanos) {
	}

	/** The runs on one executor so far. */
	private static final class Runs {

		private final List<Double> wallMs = new ArrayList<>();

		private final List<Double> parallelism = new ArrayList<>();

		private final List<String> jobIds = new ArrayList<>();

		private final List<String> warmupJobIds = new ArrayList<>();

	}

}
