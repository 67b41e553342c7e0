package dev.jobpool.bench;

/**
 * A benchmark cannot be cancelled because it has already finished.
 */
public class BenchmarkAlreadyFinishedException extends RuntimeException {

	BenchmarkAlreadyFinishedException(String id, BenchmarkStatus status) {
		super("Benchmark " + id + " has already finished: " + status.id());
	}

}
