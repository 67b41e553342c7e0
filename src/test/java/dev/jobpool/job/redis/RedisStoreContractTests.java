package dev.jobpool.job.redis;

import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import dev.jobpool.RedisServer;
import dev.jobpool.job.JobStoreContract;

/**
 * The store contract against a real {@code redis-server} started for the class on a free
 * loopback port.
 */
@EnabledIf("dev.jobpool.RedisServer#usable")
@TestPropertySource(properties = { "jobpool.store=redis", "jobpool.cluster.replica-id=contract-1" })
@DirtiesContext
class RedisStoreContractTests extends JobStoreContract {

	@RegisterExtension
	static final RedisServer.PerClass redis = new RedisServer.PerClass();

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		redis.register(registry);
	}

	@Override
	protected String store() {
		return "redis";
	}

}
