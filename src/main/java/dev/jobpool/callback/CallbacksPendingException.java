package dev.jobpool.callback;

import java.time.Duration;

import dev.jobpool.web.ApiErrorCode;
import dev.jobpool.web.ApiException;

/**
 * A job with a callback was refused: too many callbacks wait to be delivered already.
 */
public class CallbacksPendingException extends ApiException {

	CallbacksPendingException(int pending, int limit, Duration retryAfter) {
		super(ApiErrorCode.QUEUE_FULL, "Too many callbacks wait to be delivered: " + pending + " and the limit is "
				+ limit + " (jobpool.callbacks.max-pending); a job with a callback cannot be accepted now", retryAfter);
	}

	@Override
	public boolean countsAsRejected() {
		return true;
	}

}
