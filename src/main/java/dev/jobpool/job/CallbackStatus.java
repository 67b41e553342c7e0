package dev.jobpool.job;

import dev.jobpool.support.Identified;

/**
 * Where a job's callback is.
 */
public enum CallbackStatus implements Identified {

	/** Waiting for the job to end, or for its next attempt. */
	PENDING,

	/** A receiver answered 2xx. */
	DELIVERED,

	/** Given up: blocked, {@code 410 Gone}, or out of attempts. */
	FAILED

}
