package dev.jobpool.bench;

import java.time.Duration;

/**
 * A benchmark was refused because too many benchmarks already wait: benchmarks run one at
 * a time, service-wide, so that no two runs disturb each other's timings.
 */
public class BenchmarkQueueFullException extends RuntimeException {

	private final Duration retryAfter;

	BenchmarkQueueFullException(int limit, Duration retryAfter) {
		super("Too many benchmarks queued: one runs and " + limit
				+ " wait, which is the limit; try again once one has finished");
		this.retryAfter = retryAfter;
	}

	/**
	 * Return how long the client should wait before trying again.
	 * @return the delay
	 */
	public Duration retryAfter() {
		return this.retryAfter;
	}

}
