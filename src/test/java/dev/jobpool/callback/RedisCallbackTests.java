package dev.jobpool.callback;

import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

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

	@RegisterExtension
	static final RedisServer.PerClass redis = new RedisServer.PerClass();

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		redis.register(registry);
	}

}
