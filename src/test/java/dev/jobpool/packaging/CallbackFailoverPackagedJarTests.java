package dev.jobpool.packaging;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import tools.jackson.databind.JsonNode;

import dev.jobpool.ApiClient;
import dev.jobpool.RedisServer;
import dev.jobpool.WebhookReceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A callback outlives the replica that was delivering it: with the Redis store, a replica
 * killed with {@code kill -9} in the middle of an attempt leaves the delivery leased;
 * once the lease runs out another replica delivers it, with the same {@code webhook-id}
 * and body, and the lost attempt counts as one (and as {@code lost} in the metrics of the
 * replica that found it).
 */
@EnabledIf("dev.jobpool.RedisServer#usable")
class CallbackFailoverPackagedJarTests {

	private final List<Process> replicas = new ArrayList<>();

	private RedisServer redis;

	private WebhookReceiver receiver;

	@AfterEach
	void stopAll() {
		this.replicas.forEach(Process::destroyForcibly);
		if (this.receiver != null) {
			this.receiver.close();
		}
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Test
	void aDeliveryPendingOnAKilledReplicaIsDeliveredByAnother() throws Exception {
		this.redis = RedisServer.start();
		this.receiver = new WebhookReceiver();
		String url = this.receiver.url("/hook", 0, 200);
		ApiClient first = start("first");

		String id = first.post("/api/jobs/sum", "{\"numbers\":[10],\"callback\":{\"url\":\"" + url + "\"}}")
			.json()
			.get("id")
			.asString();
		await().atMost(Duration.ofSeconds(60)).until(() -> this.receiver.received("/hook").size() == 1);
		Process killed = this.replicas.get(0);
		killed.destroyForcibly();
		assertThat(killed.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		ApiClient second = start("second");

		JsonNode callback = await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> second.get("/api/jobs/" + id).json().get("callback"),
					(state) -> state.get("status").asString().equals("delivered"));

		// The attempt that died with its replica reached the receiver: it counts.
		assertThat(callback.get("attempts").asInt()).isEqualTo(2);
		List<WebhookReceiver.Received> deliveries = this.receiver.received("/hook");
		assertThat(deliveries).hasSize(2);
		assertThat(deliveries.get(1).id()).isEqualTo(deliveries.get(0).id());
		assertThat(deliveries.get(1).body()).isEqualTo(deliveries.get(0).body());
		assertThat(second.get("/actuator/prometheus").body())
			.contains("jobpool_callback_deliveries_total{application=\"jobpool\",outcome=\"lost\"} 1.0")
			.contains("jobpool_callback_deliveries_total{application=\"jobpool\",outcome=\"delivered\"} 1.0");
	}

	private ApiClient start(String replicaId) throws IOException {
		PackagedJar.Run run = PackagedJar.start("callback-" + replicaId, List.of(), "--jobpool.store=redis",
				"--spring.data.redis.url=" + this.redis.url(), "--jobpool.cluster.replica-id=" + replicaId,
				"--jobpool.fetch.allowed-hosts=127.0.0.1", "--jobpool.callbacks.timeout=3s",
				"--jobpool.process.workers=1", "--jobpool.process.spawn-max-running=1",
				"--jobpool.warmup.enabled=false");
		Process replica = run.process();
		this.replicas.add(replica);
		ApiClient api = new ApiClient(run.port());
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
			assertThat(replica.isAlive()).as("replica %s exited; its log:%n%s", replicaId, run.output()).isTrue();
			return api.get("/actuator/health/readiness").status() == 200;
		});
		return api;
	}

}
