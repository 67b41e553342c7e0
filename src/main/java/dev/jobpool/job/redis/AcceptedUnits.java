package dev.jobpool.job.redis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The units of sum jobs this replica accepted and whose last claim here said they were
 * alone in their executor's line with units left: when a unit of one of them ends here,
 * the next starts in the slot it freed before the store gives it, since the claim that
 * the report of the end makes would give just that one. A job is forgotten once its last
 * unit is taken, once a claim finds it no longer alone, and, past {@value #MAX_JOBS}
 * jobs, the oldest first; jobs of more than {@value #MAX_UNITS} units are never kept.
 */
final class AcceptedUnits {

	static final int MAX_JOBS = 64;

	static final int MAX_UNITS = 256;

	/**
	 * The unit to start next.
	 *
	 * @param unit its number in the job
	 * @param json the unit as the store keeps it
	 * @param timeoutMs the job's task timeout
	 */
	record Next(String unit, String json, long timeoutMs) {
	}

	private static final class Plan {

		final List<String> units;

		final long timeoutMs;

		int next;

		Plan(List<String> units, long timeoutMs, int next) {
			this.units = units;
			this.timeoutMs = timeoutMs;
			this.next = next;
		}

	}

	private final Map<String, Plan> plans = new LinkedHashMap<>() {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Plan> eldest) {
			return size() > MAX_JOBS;
		}

	};

	/**
	 * A job was admitted and its first units claimed here.
	 * @param jobId the job
	 * @param units the JSON of all its units, unit 0 first
	 * @param claimed how many of its first units the admission claimed here
	 * @param alone whether the claim found it alone in line with units left
	 * @param timeoutMs the job's task timeout
	 */
	synchronized void admitted(String jobId, List<String> units, int claimed, boolean alone, long timeoutMs) {
		if (alone && units.size() <= MAX_UNITS && claimed < units.size()) {
			this.plans.put(jobId, new Plan(List.copyOf(units), timeoutMs, claimed));
		}
	}

	/**
	 * Take the next unit of a job kept here, to start it ahead of its claim.
	 * @param jobId the job
	 * @return its next unit, or {@code null} if the job is not kept
	 */
	synchronized @Nullable Next next(String jobId) {
		Plan plan = this.plans.get(jobId);
		if (plan == null) {
			return null;
		}
		int unit = plan.next++;
		if (plan.next >= plan.units.size()) {
			this.plans.remove(jobId);
		}
		return new Next(Integer.toString(unit), plan.units.get(unit), plan.timeoutMs);
	}

	/**
	 * What a claim found of a job: if no longer alone in line, it is forgotten.
	 * @param jobId the job
	 * @param alone whether it was alone with units left
	 */
	synchronized void claimed(String jobId, boolean alone) {
		if (!alone) {
			this.plans.remove(jobId);
		}
	}

	/**
	 * Forget a job (it was cancelled, or a unit started ahead was not the claim's).
	 * @param jobId the job
	 */
	synchronized void forget(String jobId) {
		this.plans.remove(jobId);
	}

	synchronized int size() {
		return this.plans.size();
	}

}
