package dev.jobpool.job;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.execution.WorkerInfo;
import dev.jobpool.task.TaskErrorCode;

/**
 * A job as the API shows it: a snapshot taken at one moment.
 *
 * @param id the job's id
 * @param type sum or fetch
 * @param executor the executor that runs it
 * @param requestedExecutor what the request asked for ({@code auto} or an executor's
 * name)
 * @param routing why this executor
 * @param concurrency most of its tasks that run at once
 * @param requestedConcurrency the {@code concurrency} the request asked for, if any
 * @param concurrencyReason why {@code concurrency} is what it is
 * @param timeoutMs each task's deadline
 * @param status where the job is
 * @param cancelReason why it was cancelled, if it was
 * @param submittedAt when it was accepted
 * @param startedAt when its first task started
 * @param finishedAt when its last task ended
 * @param progress how many tasks ended
 * @param timing how long it waited and ran
 * @param tasks each task, or {@code null} in summaries
 * @param result the job's result, once there is one
 * @param callback the job's callback and how its delivery goes, if it has one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(String id, JobType type, ExecutorKind executor, String requestedExecutor, RoutingView routing,
		int concurrency, @Nullable Integer requestedConcurrency, String concurrencyReason, long timeoutMs,
		JobStatus status, @Nullable String cancelReason, Instant submittedAt, @Nullable Instant startedAt,
		@Nullable Instant finishedAt, Progress progress, Timing timing, @Nullable List<TaskView> tasks,
		@Nullable Object result, @Nullable CallbackView callback) {

	/**
	 * Why the job runs where it runs.
	 *
	 * @param reason the reason, in words
	 */
	public record RoutingView(String reason) {
	}

	/**
	 * How far the job has come.
	 *
	 * @param total its tasks
	 * @param done tasks that ended, whatever their outcome
	 * @param failed tasks that failed (timeouts included)
	 * @param cancelled tasks stopped by a cancellation
	 */
	public record Progress(int total, int done, int failed, int cancelled) {
	}

	/**
	 * How long the job waited and ran, in milliseconds.
	 *
	 * @param queueMs from acceptance to the first task's start
	 * @param wallMs from the first task's start to the last task's end (or now)
	 * @param busyMs the sum of the tasks' run times
	 * @param parallelism {@code busyMs / wallMs}: how many tasks ran at once on average
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Timing(@Nullable Double queueMs, double wallMs, double busyMs, @Nullable Double parallelism) {
	}

	/**
	 * One task.
	 *
	 * @param index its position in the request
	 * @param input its n or URL
	 * @param status where it is
	 * @param result its result once it succeeded
	 * @param error why it failed
	 * @param worker who ran it
	 * @param attempts how often it ran, when its worker died and it ran once more
	 * @param chunks how many pieces a large sum was split into, so that idle workers
	 * share it
	 * @param startedAt when it started
	 * @param queueMs from the job's acceptance to the task's start
	 * @param durationMs its run time
	 * @param cpuMs the CPU time it used, where that can be measured
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record TaskView(int index, Object input, TaskStatus status, @Nullable Object result,
			@Nullable TaskError error, @Nullable WorkerInfo worker, @Nullable Integer attempts,
			@Nullable Integer chunks, @Nullable Instant startedAt, @Nullable Double queueMs,
			@Nullable Double durationMs, @Nullable Double cpuMs) {
	}

	/**
	 * Why a task failed.
	 *
	 * @param code a stable code such as {@code timeout}
	 * @param message what happened
	 */
	public record TaskError(TaskErrorCode code, String message) {
	}

	/**
	 * A sum job's result.
	 * @param total the sum of every task's sum, exact
	 */
	/**
	 * A job's callback: where it goes and how its delivery goes.
	 *
	 * @param url where the job is POSTed once it has ended
	 * @param status {@code pending} until delivered or given up
	 * @param attempts deliveries tried so far
	 * @param lastStatusCode the status of the last answer, if there was one
	 * @param lastError why the last attempt failed, if it did
	 * @param deliveredAt when a receiver took it
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record CallbackView(String url, CallbackStatus status, int attempts, @Nullable Integer lastStatusCode,
			@Nullable CallbackError lastError, @Nullable Instant deliveredAt) {
	}

	/**
	 * Why a callback's attempt failed.
	 *
	 * @param code {@code blocked}, {@code timeout}, {@code connect}, {@code http_status},
	 * {@code worker_lost} (the replica delivering it died) and so on
	 * @param message what happened, for people
	 */
	public record CallbackError(String code, String message) {
	}

	public record SumResult(BigInteger total) {
	}

	/**
	 * A fetch job's result.
	 *
	 * @param ok tasks that got an HTTP response, whatever its status
	 * @param failed tasks that got none (errors, timeouts, cancellations)
	 * @param bytes body bytes read in all
	 * @param statusCounts how many responses had each status
	 */
	public record FetchSummary(int ok, int failed, long bytes, Map<String, Integer> statusCounts) {
	}

}
