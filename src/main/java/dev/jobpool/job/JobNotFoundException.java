package dev.jobpool.job;

import dev.jobpool.web.ApiErrorCode;
import dev.jobpool.web.ApiException;

/**
 * No job has the given id, or it was evicted.
 */
public class JobNotFoundException extends ApiException {

	private final String jobId;

	public JobNotFoundException(String jobId) {
		super(ApiErrorCode.JOB_NOT_FOUND, "No job " + jobId + ": it never existed or was evicted");
		this.jobId = jobId;
	}

	/**
	 * Return the id asked for.
	 * @return the id
	 */
	public String jobId() {
		return this.jobId;
	}

}
