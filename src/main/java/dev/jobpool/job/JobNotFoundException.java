package dev.jobpool.job;

/**
 * No job has the given id, or it was evicted.
 */
public class JobNotFoundException extends RuntimeException {

	private final String jobId;

	public JobNotFoundException(String jobId) {
		super("No job " + jobId + ": it never existed or was evicted");
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
