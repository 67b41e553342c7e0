package dev.jobpool.job;

import java.time.Duration;

/**
 * A job was refused because the service is stopping.
 */
public class ServiceShuttingDownException extends RuntimeException {

	private final Duration retryAfter;

	public ServiceShuttingDownException(Duration retryAfter) {
		super("The service is shutting down and takes no new jobs; try again shortly (another instance may answer)");
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
