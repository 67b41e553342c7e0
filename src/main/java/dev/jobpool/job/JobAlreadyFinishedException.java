package dev.jobpool.job;

import dev.jobpool.web.ApiErrorCode;
import dev.jobpool.web.ApiException;

/**
 * A job cannot be cancelled because it has already finished.
 */
public class JobAlreadyFinishedException extends ApiException {

	private final JobStatus status;

	public JobAlreadyFinishedException(String jobId, JobStatus status) {
		super(ApiErrorCode.JOB_ALREADY_FINISHED, "Job " + jobId + " has already finished: " + status.id());
		this.status = status;
	}

	/**
	 * Return the status the job finished with.
	 * @return the status
	 */
	public JobStatus status() {
		return this.status;
	}

}
