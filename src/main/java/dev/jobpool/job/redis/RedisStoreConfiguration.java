package dev.jobpool.job.redis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.Delay;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.jobpool.cluster.ClusterMetrics;
import dev.jobpool.cluster.ClusterProperties;
import dev.jobpool.cluster.Replica;
import dev.jobpool.execution.ExecutorRegistry;
import dev.jobpool.job.DeadlineTimer;
import dev.jobpool.job.JobMetrics;
import dev.jobpool.job.JobPlanner;
import dev.jobpool.job.JobProperties;

/**
 * Wires the shared store when {@code jobpool.store=redis}: the store's commands, this
 * replica's agent, the job backend, the pub/sub wake-ups and the {@code store} health
 * check that readiness includes.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "jobpool.store", havingValue = "redis")
class RedisStoreConfiguration {

	/**
	 * A command sent while the connection is down fails at once (and the request gets its
	 * 503) instead of queueing until Redis is back; Lettuce reconnects by itself.
	 */
	@Bean
	LettuceClientOptionsBuilderCustomizer jobpoolLettuceOptions() {
		return (options) -> options.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
	}

	/**
	 * Reconnect within a couple of seconds of Redis coming back, not after Lettuce's
	 * default back-off of up to half a minute.
	 */
	@Bean
	ClientResourcesBuilderCustomizer jobpoolLettuceReconnect() {
		return (resources) -> resources
			.reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS));
	}

	@Bean
	RedisCodec redisCodec() {
		return new RedisCodec();
	}

	@Bean
	Watchers redisWatchers(Replica replica) {
		return new Watchers(replica.id());
	}

	@Bean
	RedisStore redisStore(StringRedisTemplate redis, ClusterProperties cluster, JobProperties jobs,
			@Value("${spring.data.redis.timeout:2s}") Duration commandTimeout) {
		return new RedisStore(redis, cluster.keyPrefix(), jobs.retryAfter(), commandTimeout);
	}

	@Bean
	ReplicaAgent replicaAgent(RedisStore store, RedisCodec codec, Watchers watchers, WakeUps wakeUps,
			ExecutorRegistry executors, DeadlineTimer deadlines, JobMetrics jobMetrics, ClusterMetrics clusterMetrics,
			ClusterProperties cluster, JobProperties jobs, Replica replica) {
		return new ReplicaAgent(store, codec, watchers, wakeUps, executors, deadlines, jobMetrics, clusterMetrics,
				cluster, jobs, replica.id());
	}

	@Bean
	RedisJobBackend redisJobBackend(RedisStore store, RedisCodec codec, Watchers watchers, JobPlanner planner,
			JobProperties jobs, JobMetrics metrics, ReplicaAgent agent, Replica replica) {
		return new RedisJobBackend(store, codec, watchers, planner, jobs, metrics, agent, replica.id());
	}

	/**
	 * Starts the agent with the context; {@code JobService} drains it on the way down.
	 */
	@Bean
	SmartLifecycle replicaAgentLifecycle(ReplicaAgent agent) {
		return new SmartLifecycle() {

			private volatile boolean running;

			@Override
			public void start() {
				agent.start();
				this.running = true;
			}

			@Override
			public void stop() {
				this.running = false;
			}

			@Override
			public boolean isRunning() {
				return this.running;
			}

		};
	}

	@Bean
	WakeUps redisWakeUps(RedisConnectionFactory connections, ClusterProperties cluster, Watchers watchers) {
		return new WakeUps(connections, cluster.keyPrefix(), watchers);
	}

	/**
	 * Readiness follows the store: a replica that cannot reach Redis takes no traffic.
	 */
	@Bean("store")
	HealthIndicator storeHealth(RedisStore store) {
		return () -> {
			try {
				return store.ping() ? Health.up().withDetail("store", "redis").build()
						: Health.down().withDetail("store", "redis").build();
			}
			catch (StoreUnavailableException ex) {
				return Health.down().withDetail("store", "redis").withDetail("error", ex.getMessage()).build();
			}
		};
	}

}
