package dev.jobpool.bench;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the benchmarks, under {@code jobpool.benchmarks}.
 *
 * @param maxQueued most benchmarks waiting behind the one that runs; past it a POST
 * answers 429
 * @param maxKept most benchmarks kept in memory; past it the oldest finished ones are
 * evicted
 * @param maxRepeat the largest {@code repeat} (counted runs per executor) a request may
 * ask for
 * @param maxWarmup the largest {@code warmup} (uncounted runs per executor) a request may
 * ask for
 * @param retryAfter what a 429 tells the client to wait before trying again
 */
@ConfigurationProperties("jobpool.benchmarks")
@Validated
record BenchmarkProperties(@DefaultValue("10") @Min(1) @Max(10_000) int maxQueued,
		@DefaultValue("100") @Min(1) @Max(100_000) int maxKept, @DefaultValue("20") @Min(1) @Max(1_000) int maxRepeat,
		@DefaultValue("5") @Min(0) @Max(100) int maxWarmup, @DefaultValue("5s") @NotNull Duration retryAfter) {

	/**
	 * Counted runs per executor when the request names none (at most {@link #maxRepeat}).
	 */
	static final int DEFAULT_REPEAT = 3;

	/**
	 * Warm-up runs per executor when the request names none (at most {@link #maxWarmup}).
	 */
	static final int DEFAULT_WARMUP = 1;

	int defaultRepeat() {
		return Math.min(DEFAULT_REPEAT, this.maxRepeat);
	}

	int defaultWarmup() {
		return Math.min(DEFAULT_WARMUP, this.maxWarmup);
	}

}
