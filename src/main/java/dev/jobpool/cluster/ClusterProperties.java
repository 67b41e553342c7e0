package dev.jobpool.cluster;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the replicas that share a store ({@code jobpool.cluster.*}).
 *
 * @param replicaId this replica's id; by default its host name and pid
 * @param heartbeatInterval how often a replica says it is alive
 * @param heartbeatTtl how long a replica counts as alive after its last heartbeat: its
 * claimed tasks run again elsewhere this long after it died
 * @param reaperInterval how often every replica looks for dead ones
 * @param maxRedeliveries how many times a task lost with its replica runs again; past it
 * the task fails {@code worker_lost}
 * @param keyPrefix the prefix of every key the service writes in Redis
 * @param claimBatch most tasks a replica claims in one round trip
 */
@ConfigurationProperties("jobpool.cluster")
@Validated
public record ClusterProperties(@Nullable @Pattern(regexp = "[A-Za-z0-9._:-]{1,64}") String replicaId,
		@DefaultValue("1s") @NotNull Duration heartbeatInterval, @DefaultValue("5s") @NotNull Duration heartbeatTtl,
		@DefaultValue("1s") @NotNull Duration reaperInterval, @DefaultValue("3") @Min(0) @Max(100) int maxRedeliveries,
		@DefaultValue("jobpool") @Pattern(regexp = "[A-Za-z0-9._-]{1,32}") String keyPrefix,
		@DefaultValue("64") @Min(1) @Max(1000) int claimBatch) {

	@AssertTrue(message = "heartbeat-ttl must be longer than heartbeat-interval")
	boolean isTtlLongerThanInterval() {
		return this.heartbeatTtl.compareTo(this.heartbeatInterval) > 0;
	}

}
