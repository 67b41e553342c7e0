package dev.jobpool.warmup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.jobpool.LoopbackExtension;
import dev.jobpool.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up of a replica on the Redis store: its rehearsal jobs run here and never
 * reach Redis, where the other replicas would see them.
 */
@EnabledIf("dev.jobpool.RedisServer#usable")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "jobpool.store=redis", "jobpool.cluster.replica-id=warm-1", "jobpool.warmup.enabled=true",
				"jobpool.warmup.rounds=2", "jobpool.warmup.max-time=60s" })
@Import(WarmUpTests.ProbeConfiguration.class)
class WarmUpRedisTests {

	@RegisterExtension
	static final RedisServer.PerClass redis = new RedisServer.PerClass();

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		redis.register(registry);
	}

	@Autowired
	private WarmUpTests.Probe probe;

	@Autowired
	private StringRedisTemplate redisTemplate;

	@Test
	void rehearsesWithoutWritingAJobToRedis() {
		assertThat(this.probe.seen()).hasSize(2 * 5)
			.allSatisfy((job) -> assertThat(job.readiness()).isEqualTo(ReadinessState.REFUSING_TRAFFIC));
		assertThat(this.redisTemplate.keys("*:job:*")).isEmpty();
		assertThat(this.redisTemplate.keys("*:jobs")).isEmpty();
		assertThat(loopback.api().get("/api/jobs").json().get("jobs")).isEmpty();
		assertThat(loopback.api().get("/actuator/health/readiness").status()).isEqualTo(200);
	}

}
