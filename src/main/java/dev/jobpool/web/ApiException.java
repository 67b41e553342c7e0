package dev.jobpool.web;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a feature throws to answer with a problem: the exception says its own code (and so
 * status and title), an optional {@code Retry-After}, and the fields it concerns, so that
 * the shared exception handler knows no feature.
 */
public abstract class ApiException extends RuntimeException {

	private final ApiErrorCode code;

	private final @Nullable Duration retryAfter;

	/**
	 * Create an exception answered with the given code.
	 * @param code the error code
	 * @param message the problem's detail
	 */
	protected ApiException(ApiErrorCode code, String message) {
		this(code, message, null);
	}

	/**
	 * Create an exception answered with the given code and a {@code Retry-After}.
	 * @param code the error code
	 * @param message the problem's detail
	 * @param retryAfter when the client may try again, or {@code null}
	 */
	protected ApiException(ApiErrorCode code, String message, @Nullable Duration retryAfter) {
		super(message);
		this.code = code;
		this.retryAfter = retryAfter;
	}

	/**
	 * Return the error code the answer carries.
	 * @return the code
	 */
	public ApiErrorCode code() {
		return this.code;
	}

	/**
	 * Return how long the client should wait before trying again, if it should.
	 * @return the delay, or {@code null}
	 */
	public @Nullable Duration retryAfter() {
		return this.retryAfter;
	}

	/**
	 * Return the fields of the request the problem concerns.
	 * @return the violations, empty by default
	 */
	public List<FieldViolation> violations() {
		return List.of();
	}

	/**
	 * Return whether the answer counts in {@code jobpool_jobs_rejected_total}.
	 * @return {@code false} by default
	 */
	public boolean countsAsRejected() {
		return false;
	}

}
