package dev.jobpool.job;

/**
 * A feature's say in whether a job is accepted now, asked before the store admits it (for
 * example: too many callbacks wait already).
 */
public interface JobAdmissionCheck {

	/**
	 * Refuse the job by throwing, or return to let it in.
	 * @param spec the validated job
	 */
	void check(JobSpec spec);

}
