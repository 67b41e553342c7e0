package dev.jobpool.job;

/**
 * A job cannot be cancelled because it has already finished.
 */
public class JobAlreadyFinishedException extends RuntimeException {

	private final JobStatus status;

	public JobAlreadyFinishedException(String jobId, JobStatus status) {
		super("Job " + jobId + " has already finished: " + status.id());
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
