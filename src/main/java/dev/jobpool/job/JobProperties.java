package dev.jobpool.job;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import dev.jobpool.sum.RangeSum;

/**
 * Limits of what a job may ask for and how many jobs the service keeps, under
 * {@code jobpool.jobs}.
 *
 * @param maxNumbersPerJob most numbers (tasks) in one sum job
 * @param maxN the largest n a sum task may add up to
 * @param maxUrlsPerJob most URLs (tasks) in one fetch job
 * @param maxUrlLength longest URL accepted, in characters
 * @param defaultTimeout a task's deadline when the request names none
 * @param minTimeout the smallest {@code timeoutMs} accepted
 * @param maxTimeout the largest {@code timeoutMs} accepted
 * @param maxWait the largest {@code ?wait} accepted
 * @param maxRequestSize the largest request body accepted
 * @param maxQueuedTasks most tasks waiting across all executors; past it a POST answers
 * 429
 * @param retryAfter what a 429 tells the client to wait before trying again
 * @param maxListLimit the largest {@code limit} of the job list
 * @param sumChunkMinSize the smallest chunk a sum task on {@code platform} or
 * {@code process} is cut into; idle workers take the chunks, as with Python's
 * {@code chunksize}
 * @param sumChunksPerTask 0 cuts a sum job's work, all its numbers end to end, into one
 * equal share per worker it may use (its concurrency, if lower) and hands the pieces out
 * largest first; more than 1 cuts every large task into that many chunks instead; 1 turns
 * chunking off
 * @param store how many finished jobs are kept, and for how long
 */
@ConfigurationProperties("jobpool.jobs")
@Validated
public record JobProperties(@DefaultValue("1000") @Min(1) int maxNumbersPerJob,
		@DefaultValue("10000000000") @Min(0) @Max(RangeSum.MAX_N) long maxN,
		@DefaultValue("10000") @Min(1) int maxUrlsPerJob, @DefaultValue("2048") @Min(16) int maxUrlLength,
		@DefaultValue("10m") @NotNull Duration defaultTimeout, @DefaultValue("1ms") @NotNull Duration minTimeout,
		@DefaultValue("1h") @NotNull Duration maxTimeout, @DefaultValue("60s") @NotNull Duration maxWait,
		@DefaultValue("16MB") @NotNull DataSize maxRequestSize, @DefaultValue("100000") @Min(1) int maxQueuedTasks,
		@DefaultValue("1s") @NotNull Duration retryAfter, @DefaultValue("1000") @Min(1) int maxListLimit,
		@DefaultValue("1000000") @Min(1) long sumChunkMinSize,
		@DefaultValue("0") @Min(0) @Max(1024) int sumChunksPerTask, @DefaultValue @Valid @NotNull Store store) {

	@AssertTrue(message = "default-timeout must lie between min-timeout and max-timeout")
	boolean isDefaultTimeoutInRange() {
		return this.defaultTimeout.compareTo(this.minTimeout) >= 0
				&& this.defaultTimeout.compareTo(this.maxTimeout) <= 0;
	}

	/**
	 * Bounds of the in-memory job store, under {@code jobpool.jobs.store}.
	 *
	 * @param maxJobs most jobs kept; past it the oldest finished jobs are evicted
	 * @param maxAge how long a finished job is kept
	 */
	public record Store(@DefaultValue("10000") @Min(1) int maxJobs, @DefaultValue("1h") @NotNull Duration maxAge) {
	}

}
