package dev.jobpool.bench;

/**
 * No benchmark has the given id, or it was evicted.
 */
public class BenchmarkNotFoundException extends RuntimeException {

	BenchmarkNotFoundException(String id) {
		super("No benchmark " + id + ": it never existed or was evicted");
	}

}
