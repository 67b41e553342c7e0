package dev.jobpool.job;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * How one delivery attempt of a job's callback went.
 *
 * @param status {@code pending} while it will be tried again, else {@code delivered} or
 * {@code failed}
 * @param statusCode the receiver's status code, if it answered
 * @param error why it failed, if it did
 * @param at when the attempt ended
 * @param retryAt when to try again, for {@code pending}
 */
public record CallbackAttempt(CallbackStatus status, @Nullable Integer statusCode,
		JobView.@Nullable CallbackError error, Instant at, @Nullable Instant retryAt) {
}
