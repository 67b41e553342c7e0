package dev.jobpool.callback;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIf;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import dev.jobpool.RedisServer;

/**
 * Callbacks of jobs in the Redis store, against a real {@code redis-server}.
 */
@EnabledIf("dev.jobpool.RedisServer#usable")
@TestPropertySource(properties = { "jobpool.store=redis", "jobpool.cluster.replica-id=callbacks-1" })
@DirtiesContext
class RedisCallbackTests extends CallbackContract {

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

}
