package dev.jobpool.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shows the replicas that share the store.
 */
@RestController
@RequestMapping(path = "/api/cluster", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "cluster", description = "The replicas that share the job store")
class ClusterController {

	private final Replica replica;

	private final ClusterMembers members;

	ClusterController(Replica replica, ClusterMembers members) {
		this.replica = replica;
		this.members = members;
	}

	@GetMapping
	@Operation(summary = "Show the cluster",
			description = "The store kind (memory or redis), the replica that answers, every live replica with its "
					+ "heartbeat age, executors and load, and the tasks waiting per executor across the cluster.")
	ReplicaView.ClusterView cluster() {
		Map<String, Integer> queued = new LinkedHashMap<>();
		this.members.queuedTasks().forEach((kind, count) -> queued.put(kind.id(), count));
		return new ReplicaView.ClusterView(this.replica.store().id(), this.replica.id(), this.members.replicas(),
				queued);
	}

}
