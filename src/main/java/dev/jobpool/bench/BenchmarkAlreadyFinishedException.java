package dev.jobpool.bench;

import dev.jobpool.web.ApiErrorCode;
import dev.jobpool.web.ApiException;

/**
 * A benchmark cannot be cancelled because it has already finished.
 */
public class BenchmarkAlreadyFinishedException extends ApiException {

	BenchmarkAlreadyFinishedException(String id, BenchmarkStatus status) {
		super(ApiErrorCode.BENCHMARK_ALREADY_FINISHED, "Benchmark " + id + " has already finished: " + status.id());
	}

}
