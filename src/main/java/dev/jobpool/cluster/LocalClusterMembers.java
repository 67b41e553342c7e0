package dev.jobpool.cluster;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.execution.ExecutorRegistry;
import dev.jobpool.execution.TaskExecutor;

/**
 * The in-memory store's cluster: this replica alone.
 */
@Component
@ConditionalOnProperty(name = "jobpool.store", havingValue = "memory", matchIfMissing = true)
class LocalClusterMembers implements ClusterMembers {

	private final Replica replica;

	private final ExecutorRegistry executors;

	LocalClusterMembers(Replica replica, ExecutorRegistry executors) {
		this.replica = replica;
		this.executors = executors;
	}

	@Override
	public List<ReplicaView> replicas() {
		return List.of(new ReplicaView(this.replica.id(), 0, ExecutorViews.of(this.executors)));
	}

	@Override
	public int liveReplicas() {
		return 1;
	}

	@Override
	public Map<ExecutorKind, Integer> queuedTasks() {
		Map<ExecutorKind, Integer> queued = new EnumMap<>(ExecutorKind.class);
		for (TaskExecutor executor : this.executors.all()) {
			queued.put(executor.kind(), executor.load().queued());
		}
		return queued;
	}

}
