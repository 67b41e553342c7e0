package dev.jobpool.job;

import java.util.List;

import dev.jobpool.execution.Routing;

/**
 * How a job will run, decided once before it is built: the executor and why, how many of
 * its tasks run at once and why, and the pieces of work its tasks are cut into.
 *
 * @param routing the executor and why
 * @param concurrency the effective concurrency and why
 * @param units the pieces of work, in the order they are handed out
 */
public record JobPlan(Routing routing, JobConcurrency concurrency, List<WorkUnit> units) {

	public JobPlan {
		units = List.copyOf(units);
	}

}
