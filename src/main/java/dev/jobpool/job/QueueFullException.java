package dev.jobpool.job;

import java.time.Duration;

import dev.jobpool.web.ApiErrorCode;
import dev.jobpool.web.ApiException;

/**
 * A job was refused because too many tasks already wait.
 */
public class QueueFullException extends ApiException {

	public QueueFullException(int tasks, int queued, int limit, Duration retryAfter) {
		super(ApiErrorCode.QUEUE_FULL, "Too many tasks queued: " + queued + " wait and the limit is " + limit + ", so "
				+ tasks + " more cannot be accepted now", retryAfter);
	}

	@Override
	public boolean countsAsRejected() {
		return true;
	}

}
