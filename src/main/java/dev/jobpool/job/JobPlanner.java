package dev.jobpool.job;

import java.util.List;
import java.util.stream.IntStream;

import org.springframework.stereotype.Component;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.execution.ExecutorRegistry;
import dev.jobpool.execution.ExecutorRouter;
import dev.jobpool.execution.Routing;
import dev.jobpool.execution.TaskExecutor;
import dev.jobpool.task.TaskWork;

/**
 * Plans a job in one place: routes it, cuts large sums into chunks, and works out its
 * concurrency, for either store.
 */
@Component
public class JobPlanner {

	private final JobProperties properties;

	private final ExecutorRouter router;

	private final ExecutorRegistry executors;

	JobPlanner(JobProperties properties, ExecutorRouter router, ExecutorRegistry executors) {
		this.properties = properties;
		this.router = router;
		this.executors = executors;
	}

	/**
	 * Plan a validated job.
	 * @param spec the job
	 * @param replicas how many replicas share the work (1 for the in-memory store); each
	 * runs as many tasks at once as this one's executor
	 * @return the plan
	 * @throws IllegalArgumentException if the executor name is unknown (requests are
	 * validated before they get here)
	 */
	public JobPlan plan(JobSpec spec, int replicas) {
		Routing routing = this.router.route(spec.type().workload(), spec.options().executor())
			.orElseThrow(() -> new IllegalArgumentException("Unknown executor " + spec.options().executor()));
		TaskExecutor executor = this.executors.get(routing.executor());
		int size = executor.size() * Math.max(1, replicas);
		List<WorkUnit> units = units(spec, executor.kind(), size);
		JobConcurrency concurrency = JobConcurrency.of(executor.kind(), size, Math.max(1, replicas),
				spec.options().concurrency(), units.size(), spec.inputs().size());
		return new JobPlan(routing, concurrency, units);
	}

	/**
	 * Cut large sums into chunks that idle workers take, so that three sums on two cores
	 * do not leave one core idle half the time. Only pools of workers gain from it.
	 */
	private List<WorkUnit> units(JobSpec spec, ExecutorKind kind, int size) {
		int chunksPerTask = this.properties.sumChunksPerTask();
		if (spec instanceof JobSpec.Sum sum && chunksPerTask != 1
				&& (kind == ExecutorKind.PLATFORM || kind == ExecutorKind.PROCESS)) {
			long minChunk = this.properties.sumChunkMinSize();
			return (chunksPerTask > 1) ? SumChunks.perTask(sum.numbers(), chunksPerTask, minChunk) : SumChunks
				.shares(sum.numbers(), JobConcurrency.workers(kind, size, spec.options().concurrency()), minChunk);
		}
		List<TaskWork> work = spec.work();
		return IntStream.range(0, work.size()).mapToObj((task) -> new WorkUnit(task, work.get(task))).toList();
	}

}
