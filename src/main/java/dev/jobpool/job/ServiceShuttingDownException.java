package dev.jobpool.job;

import java.time.Duration;

import dev.jobpool.web.ApiErrorCode;
import dev.jobpool.web.ApiException;

/**
 * A job was refused because the service is stopping.
 */
public class ServiceShuttingDownException extends ApiException {

	public ServiceShuttingDownException(Duration retryAfter) {
		super(ApiErrorCode.SHUTTING_DOWN,
				"The service is shutting down and takes no new jobs; try again shortly (another instance may answer)",
				retryAfter);
	}

	@Override
	public boolean countsAsRejected() {
		return true;
	}

}
