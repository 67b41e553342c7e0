package dev.jobpool.callback;

import org.springframework.stereotype.Component;

import dev.jobpool.job.JobAdmissionCheck;
import dev.jobpool.job.JobBackend;
import dev.jobpool.job.JobProperties;
import dev.jobpool.job.JobSpec;

/**
 * Keeps pending callbacks bounded: past {@code jobpool.callbacks.max-pending}, a job that
 * asks for a callback is refused with 429 and {@code Retry-After}; jobs without one are
 * not held back.
 */
@Component
class PendingCallbacksCheck implements JobAdmissionCheck {

	private final JobBackend backend;

	private final CallbackProperties properties;

	private final JobProperties jobs;

	PendingCallbacksCheck(JobBackend backend, CallbackProperties properties, JobProperties jobs) {
		this.backend = backend;
		this.properties = properties;
		this.jobs = jobs;
	}

	@Override
	public void check(JobSpec spec) {
		if (spec.options().callback() == null) {
			return;
		}
		int pending = this.backend.callbacks().pending();
		if (pending >= this.properties.maxPending()) {
			throw new CallbacksPendingException(pending, this.properties.maxPending(), this.jobs.retryAfter());
		}
	}

}
