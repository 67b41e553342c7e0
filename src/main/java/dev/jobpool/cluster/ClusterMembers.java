package dev.jobpool.cluster;

import java.util.List;
import java.util.Map;

import dev.jobpool.execution.ExecutorKind;

/**
 * What the store knows of the replicas that share it.
 */
public interface ClusterMembers {

	/**
	 * Return every live replica.
	 * @return the replicas, this one among them
	 */
	List<ReplicaView> replicas();

	/**
	 * Return how many live replicas there are, as last seen (cheap: no round trip).
	 * @return at least 1
	 */
	int liveReplicas();

	/**
	 * Return the accepted tasks that wait for a worker, per executor, across the cluster,
	 * as last seen (cheap: no round trip).
	 * @return the waiting tasks
	 */
	Map<ExecutorKind, Integer> queuedTasks();

}
