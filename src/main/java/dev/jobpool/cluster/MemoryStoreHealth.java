package dev.jobpool.cluster;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The in-memory store is always there: its {@code store} health check, part of readiness
 * as the Redis store's is, is always up.
 */
@Component("store")
@ConditionalOnProperty(name = "jobpool.store", havingValue = "memory", matchIfMissing = true)
class MemoryStoreHealth implements HealthIndicator {

	@Override
	public Health health() {
		return Health.up().withDetail("store", "memory").build();
	}

}
