package dev.jobpool.job;

/**
 * An {@code Idempotency-Key} came again with a different request than the job it created.
 */
public class IdempotencyKeyReusedException extends RuntimeException {

	public IdempotencyKeyReusedException(String key, String jobId) {
		super("Idempotency-Key '" + key + "' created job " + jobId + " from a different request body");
	}

}
