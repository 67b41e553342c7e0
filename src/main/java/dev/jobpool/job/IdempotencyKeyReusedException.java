package dev.jobpool.job;

import dev.jobpool.web.ApiErrorCode;
import dev.jobpool.web.ApiException;
import dev.jobpool.web.FieldViolation;
import java.util.List;

/**
 * An {@code Idempotency-Key} came again with a different request than the job it created.
 */
public class IdempotencyKeyReusedException extends ApiException {

	public IdempotencyKeyReusedException(String key, String jobId) {
		super(ApiErrorCode.IDEMPOTENCY_KEY_REUSED,
				"Idempotency-Key '" + key + "' created job " + jobId + " from a different request body");
	}

	@Override
	public List<FieldViolation> violations() {
		return List.of(new FieldViolation("Idempotency-Key", "was used before with a different request body"));
	}

}
