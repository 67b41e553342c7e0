package dev.jobpool.bench;

import java.time.Duration;

import dev.jobpool.web.ApiErrorCode;
import dev.jobpool.web.ApiException;

/**
 * A benchmark was refused because too many benchmarks already wait: benchmarks run one at
 * a time, service-wide, so that no two runs disturb each other's timings.
 */
public class BenchmarkQueueFullException extends ApiException {

	BenchmarkQueueFullException(int limit, Duration retryAfter) {
		super(ApiErrorCode.BENCHMARK_QUEUE_FULL, "Too many benchmarks queued: one runs and " + limit
				+ " wait, which is the limit; try again once one has finished", retryAfter);
	}

}
