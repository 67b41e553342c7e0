package dev.jobpool.job.redis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIf;

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

	private static RedisServer redis;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> server().url());
	}

	private static synchronized RedisServer server() {
		if (redis == null) {
			redis = RedisServer.start();
		}
		return redis;
	}

	@AfterAll
	static void stopRedis() {
		if (redis != null) {
			redis.close();
		}
	}

	@Override
	protected String store() {
		return "redis";
	}

}
