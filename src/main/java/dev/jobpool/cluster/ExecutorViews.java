package dev.jobpool.cluster;

import java.util.List;

import dev.jobpool.execution.ExecutorRegistry;
import dev.jobpool.execution.TaskExecutor;

/**
 * Describes this replica's executors for the cluster.
 */
public final class ExecutorViews {

	private ExecutorViews() {
	}

	/**
	 * Describe the executors of this replica.
	 * @param registry the executors
	 * @return one view each
	 */
	public static List<ReplicaView.ExecutorView> of(ExecutorRegistry registry) {
		return registry.all().stream().map(ExecutorViews::of).toList();
	}

	private static ReplicaView.ExecutorView of(TaskExecutor executor) {
		return new ReplicaView.ExecutorView(executor.kind().id(), executor.size(), executor.load().active(),
				executor.load().queued(), executor.load().completed());
	}

}
