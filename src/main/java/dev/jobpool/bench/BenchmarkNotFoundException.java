package dev.jobpool.bench;

import dev.jobpool.web.ApiErrorCode;
import dev.jobpool.web.ApiException;

/**
 * No benchmark has the given id, or it was evicted.
 */
public class BenchmarkNotFoundException extends ApiException {

	BenchmarkNotFoundException(String id) {
		super(ApiErrorCode.BENCHMARK_NOT_FOUND, "No benchmark " + id + ": it never existed or was evicted");
	}

}
