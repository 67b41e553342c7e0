package dev.jobpool.job.web;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import dev.jobpool.job.JobSpec;
import dev.jobpool.job.JobSpecValidator;
import dev.jobpool.web.InvalidRequestException;

/**
 * Checks job requests and their headers and parameters: the job itself by the job
 * feature's {@link JobSpecValidator}, naming every field that breaks a rule.
 */
@Component
class JobRequestValidator {

	static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

	private static final String TOP_LEVEL = "";

	private final JobSpecValidator specs;

	JobRequestValidator(JobSpecValidator specs) {
		this.specs = specs;
	}

	JobSpec.Sum sum(SumJobRequest request) {
		return this.specs.sum(TOP_LEVEL, request.numbers(), request.executor(), request.concurrency(),
				request.timeoutMs());
	}

	JobSpec.Fetch fetch(FetchJobRequest request) {
		return this.specs.fetch(TOP_LEVEL, request.urls(), request.executor(), request.concurrency(),
				request.timeoutMs());
	}

	@Nullable Duration waitFor(@Nullable Integer seconds) {
		return this.specs.waitFor(seconds);
	}

	/**
	 * Check an {@code Idempotency-Key} header.
	 * @param key the header, if given
	 * @return the key, or {@code null} if none was given
	 */
	@Nullable String idempotencyKey(@Nullable String key) {
		if (key == null) {
			return null;
		}
		if (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
			throw new InvalidRequestException("Idempotency-Key",
					"must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters long");
		}
		return key;
	}

}
