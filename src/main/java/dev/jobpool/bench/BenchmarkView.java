package dev.jobpool.bench;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.job.JobType;

/**
 * A benchmark as the API shows it: a snapshot taken at one moment.
 *
 * @param id the benchmark's id
 * @param status where it is
 * @param reason why it failed or was cancelled, if it did or was
 * @param request what was asked for, defaults filled in
 * @param submittedAt when it was accepted
 * @param startedAt when its first run was submitted
 * @param finishedAt when it ended
 * @param progress how many runs, warm-ups included, have ended
 * @param results one entry per executor, in the order they run
 * @param winner the executor with the lowest median so far, once one has a median
 * @param chart the path of its chart
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record BenchmarkView(String id, BenchmarkStatus status, @Nullable String reason, RequestView request,
		Instant submittedAt, @Nullable Instant startedAt, @Nullable Instant finishedAt, Progress progress,
		List<ExecutorResult> results, @Nullable ExecutorKind winner, String chart) {

	/**
	 * The request, as the benchmark runs it.
	 *
	 * @param job the job each run submits
	 * @param executors the executors, in the order they run
	 * @param repeat counted runs per executor
	 * @param warmup uncounted runs per executor before the counted ones
	 */
	@Schema(name = "BenchmarkRequestView")
	record RequestView(JobRequestView job, List<ExecutorKind> executors, int repeat, int warmup) {
	}

	/**
	 * The job each run submits.
	 *
	 * @param type sum or fetch
	 * @param size its tasks: numbers or URLs
	 * @param numbers the n of each task (sum jobs; left out of lists)
	 * @param urls the URL of each task (fetch jobs; left out of lists)
	 * @param concurrency most of the job's tasks that run at once, if the request said
	 * @param timeoutMs each task's deadline
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@Schema(name = "BenchmarkJobView")
	record JobRequestView(JobType type, int size, @Nullable List<Long> numbers, @Nullable List<String> urls,
			@Nullable Integer concurrency, long timeoutMs) {
	}

	/**
	 * How far the benchmark has come.
	 *
	 * @param total its runs, warm-ups included
	 * @param done runs that ended
	 * @param runningOn the executor of the run going on now, if one is
	 * @param runningJobId the job of the run going on now, if one is
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@Schema(name = "BenchmarkProgress")
	record Progress(int total, int done, @Nullable ExecutorKind runningOn, @Nullable String runningJobId) {
	}

	/**
	 * The runs on one executor, counted runs only in the figures.
	 *
	 * @param executor the executor
	 * @param runs counted runs that ended
	 * @param medianMs the median wall time of a run, from its job's submission to its
	 * completion
	 * @param minMs the shortest run
	 * @param maxMs the longest run
	 * @param parallelism the median of the runs' jobs' {@code timing.parallelism}
	 * @param speedup {@code sequential}'s median divided by this median, when
	 * {@code sequential} is among the executors and has a median
	 * @param wallMs each counted run's wall time, in the order they ran
	 * @param jobIds each counted run's job, in the order they ran
	 * @param warmupJobIds each warm-up run's job
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@Schema(name = "BenchmarkExecutorResult")
	record ExecutorResult(ExecutorKind executor, int runs, @Nullable Double medianMs, @Nullable Double minMs,
			@Nullable Double maxMs, @Nullable Double parallelism, @Nullable Double speedup, List<Double> wallMs,
			List<String> jobIds, List<String> warmupJobIds) {
	}

}
