package dev.jobpool.job.redis;

import java.time.Duration;

import dev.jobpool.web.ApiErrorCode;
import dev.jobpool.web.ApiException;

/**
 * The shared store could not be reached in time: the request is answered 503 with a
 * {@code Retry-After}, and nothing was changed by it that the store did not confirm.
 */
public class StoreUnavailableException extends ApiException {

	StoreUnavailableException(Throwable cause, Duration retryAfter) {
		super(ApiErrorCode.STORE_UNAVAILABLE,
				"The job store (Redis) is unavailable: " + rootMessage(cause) + "; try again later", retryAfter);
		initCause(cause);
	}

	private static String rootMessage(Throwable cause) {
		Throwable root = cause;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return String.valueOf(root.getMessage());
	}

}
