package dev.jobpool.cluster;

import java.time.Duration;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.jobpool.execution.ExecutorKind;

/**
 * The cluster's metrics, on every replica and in both stores (the in-memory store is a
 * cluster of one): {@code jobpool_cluster_replicas},
 * {@code jobpool_cluster_queued_tasks}, {@code jobpool_cluster_tasks_reclaimed_total},
 * {@code jobpool_cluster_redeliveries_total}, {@code jobpool_cluster_claim_seconds} and
 * {@code jobpool_cluster_units_started_ahead_total} (by {@code outcome}: units a replica
 * started before the store gave them to it, which the store then gave it, or not).
 */
@Component
public class ClusterMetrics {

	private final Counter reclaimed;

	private final Counter redelivered;

	private final Timer claims;

	private final Counter aheadConfirmed;

	private final Counter aheadRefused;

	ClusterMetrics(MeterRegistry registry, ObjectProvider<ClusterMembers> cluster) {
		// Looked up when scraped: the Redis store's members need these metrics to be
		// built.
		Supplier<ClusterMembers> members = cluster::getObject;
		Gauge.builder("jobpool.cluster.replicas", members, (current) -> current.get().liveReplicas())
			.description("Live replicas sharing the job store")
			.strongReference(true)
			.register(registry);
		for (ExecutorKind kind : ExecutorKind.values()) {
			Gauge
				.builder("jobpool.cluster.queued.tasks", members,
						(current) -> current.get().queuedTasks().getOrDefault(kind, 0))
				.description("Accepted tasks waiting for a worker across the cluster")
				.strongReference(true)
				.tag("executor", kind.id())
				.register(registry);
		}
		this.reclaimed = Counter.builder("jobpool.cluster.tasks.reclaimed")
			.description("Claimed tasks of dead replicas put back into play")
			.register(registry);
		this.redelivered = Counter.builder("jobpool.cluster.redeliveries")
			.description("Tasks run again after their replica died")
			.register(registry);
		this.claims = Timer.builder("jobpool.cluster.claim")
			.description("One round trip claiming tasks from the store")
			.publishPercentileHistogram()
			.register(registry);
		this.aheadConfirmed = startedAhead(registry, "confirmed");
		this.aheadRefused = startedAhead(registry, "refused");
	}

	private static Counter startedAhead(MeterRegistry registry, String outcome) {
		return Counter.builder("jobpool.cluster.units.started.ahead")
			.description("Units started before the store gave them to this replica, by whether it then did")
			.tag("outcome", outcome)
			.register(registry);
	}

	/**
	 * Count tasks taken back from a dead replica.
	 * @param reclaimed the tasks looked at
	 * @param redelivered those that will run again
	 */
	public void reclaimed(int reclaimed, int redelivered) {
		this.reclaimed.increment(reclaimed);
		this.redelivered.increment(redelivered);
	}

	/**
	 * Time one claim.
	 * @param duration how long it took
	 */
	public void claimed(Duration duration) {
		this.claims.record(duration);
	}

	/**
	 * Count units started ahead of the store's answer.
	 * @param units how many
	 * @param confirmed whether the store gave them to this replica (else they were
	 * stopped)
	 */
	public void startedAhead(int units, boolean confirmed) {
		(confirmed ? this.aheadConfirmed : this.aheadRefused).increment(units);
	}

}
