package dev.jobpool.cluster;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One live replica as {@code GET /api/cluster} shows it.
 *
 * @param id the replica's id
 * @param heartbeatAgeMs how long ago its last heartbeat reached the store, on the store's
 * clock ({@code 0} for the in-memory store)
 * @param executors its executors and their load
 */
public record ReplicaView(String id, long heartbeatAgeMs, List<ExecutorView> executors) {

	public ReplicaView {
		executors = List.copyOf(executors);
	}

	/**
	 * One executor of a replica and its load.
	 *
	 * @param executor the executor's name
	 * @param size how many tasks it runs at once
	 * @param active tasks running now
	 * @param queued tasks handed to it that wait for a worker
	 * @param completed tasks it has run since the replica started
	 */
	public record ExecutorView(String executor, int size, int active, int queued, long completed) {
	}

	/**
	 * What {@code GET /api/cluster} answers.
	 *
	 * @param store {@code memory} or {@code redis}
	 * @param replica the id of the replica that answers
	 * @param replicas every live replica
	 * @param queuedTasks accepted tasks that wait for a worker, per executor, across the
	 * cluster
	 */
	public record ClusterView(String store, String replica, List<ReplicaView> replicas,
			@Nullable Map<String, Integer> queuedTasks) {
	}

}
