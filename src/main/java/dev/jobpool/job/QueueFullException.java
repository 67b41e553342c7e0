package dev.jobpool.job;

import java.time.Duration;

/**
 * A job was refused because too many tasks already wait.
 */
public class QueueFullException extends RuntimeException {

	private final Duration retryAfter;

	public QueueFullException(int tasks, int queued, int limit, Duration retryAfter) {
		super("Too many tasks queued: " + queued + " wait and the limit is " + limit + ", so " + tasks
				+ " more cannot be accepted now");
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
