package dev.jobpool.bench;

import java.util.List;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.job.JobSpec;

/**
 * A validated benchmark request: which job, on which executors, how many times.
 *
 * @param job the job, as validated (its executor is replaced for each run)
 * @param executors the executors, in the order they run, each once
 * @param repeat counted runs per executor
 * @param warmup uncounted runs per executor before the counted ones
 */
record BenchmarkPlan(JobSpec job, List<ExecutorKind> executors, int repeat, int warmup) {

	BenchmarkPlan {
		executors = List.copyOf(executors);
	}

	/**
	 * Return the job to submit for a run on one executor.
	 * @param executor the executor
	 * @return the job, naming that executor
	 */
	JobSpec jobFor(ExecutorKind executor) {
		JobSpec.JobOptions options = new JobSpec.JobOptions(executor.id(), this.job.options().concurrency(),
				this.job.options().timeout());
		return switch (this.job) {
			case JobSpec.Sum sum -> new JobSpec.Sum(sum.numbers(), options);
			case JobSpec.Fetch fetch -> new JobSpec.Fetch(fetch.urls(), options);
		};
	}

	/**
	 * Return how many runs the benchmark makes, warm-ups included.
	 * @return the runs
	 */
	int totalRuns() {
		return this.executors.size() * (this.warmup + this.repeat);
	}

}
