package dev.jobpool.job;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.ApiClient;
import dev.jobpool.LoopbackExtension;
import dev.jobpool.sum.RangeSum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every job store must do, over real HTTP: run once against the in-memory store and
 * once against Redis, with the same assertions.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "jobpool.jobs.max-queued-tasks=400", "jobpool.process.workers=2" })
public abstract class JobStoreContract {

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	private final JsonMapper json = JsonMapper.builder().build();

	/**
	 * Return the store the subclass runs against.
	 * @return {@code memory} or {@code redis}
	 */
	protected abstract String store();

	/**
	 * Return a client of the service under test.
	 * @return the client
	 */
	protected ApiClient api() {
		return loopback.api();
	}

	@Test
	void aSumPast2To63IsExactAndItsWorkerNamesTheReplica() {
		JsonNode job = api()
			.post("/api/jobs/sum?wait=60", "{\"numbers\":[5000000000,10,20000000],\"executor\":\"process\"}")
			.json();

		assertThat(job.get("status").asString()).isEqualTo("succeeded");
		BigInteger expected = RangeSum.closedForm(5_000_000_000L)
			.add(RangeSum.closedForm(10))
			.add(RangeSum.closedForm(20_000_000));
		assertThat(expected).isGreaterThan(BigInteger.valueOf(Long.MAX_VALUE));
		assertThat(job.get("result").get("total").bigIntegerValue()).isEqualTo(expected);
		assertThat(job.get("tasks").get(0).get("result").bigIntegerValue())
			.isEqualTo(RangeSum.closedForm(5_000_000_000L));
		String replica = api().get("/api/cluster").json().get("replica").asString();
		assertThat(job.get("tasks")).allSatisfy((task) -> {
			assertThat(task.get("status").asString()).isEqualTo("succeeded");
			assertThat(task.get("worker").get("replica").asString()).isEqualTo(replica);
		});
	}

	@Test
	void aFetchJobReadsEveryUrlAndSummarizesThem() {
		String urls = String.join(",",
				IntStream.range(0, 20)
					.mapToObj((i) -> "\"" + loopback.pages().url("/delay?ms=20&i=" + i) + "\"")
					.toList());
		JsonNode job = api()
			.post("/api/jobs/fetch?wait=60", "{\"urls\":[" + urls + "],\"executor\":\"virtual\",\"concurrency\":5}")
			.json();

		assertThat(job.get("status").asString()).isEqualTo("succeeded");
		assertThat(job.get("concurrency").asInt()).isEqualTo(5);
		assertThat(job.get("result").get("ok").asInt()).isEqualTo(20);
		assertThat(job.get("result").get("bytes").asLong()).isEqualTo(20 * 100);
		assertThat(job.get("result").get("statusCounts").get("200").asInt()).isEqualTo(20);
		assertThat(job.get("progress").get("done").asInt()).isEqualTo(20);
		assertThat(job.get("tasks")).allSatisfy((task) -> {
			assertThat(task.get("result").get("status").asInt()).isEqualTo(200);
			assertThat(task.get("result").get("sha256").asString()).hasSize(64);
			assertThat(task.get("durationMs").asDouble()).isPositive();
		});
	}

	@Test
	void aJobIsFoundByIdAndListedNewestFirst() {
		String first = api().post("/api/jobs/sum?wait=30", "{\"numbers\":[1]}").json().get("id").asString();
		JsonNode finished = api().post("/api/jobs/sum?wait=30", "{\"numbers\":[2,3]}").json();
		String second = finished.get("id").asString();

		assertThat(api().get("/api/jobs/" + first).json().get("tasks").get(0).get("input").asLong()).isEqualTo(1);
		assertThat(api().get("/api/jobs/" + second).json()).isEqualTo(finished);
		List<String> listed = new ArrayList<>();
		api().get("/api/jobs?type=sum&status=succeeded&limit=50")
			.json()
			.get("jobs")
			.forEach((job) -> listed.add(job.get("id").asString()));
		assertThat(listed).containsSubsequence(second, first);
		assertThat(api().get("/api/jobs?status=failed&limit=50").json().get("jobs").toString()).doesNotContain(first);
		assertThat(api().get("/api/jobs/" + UUID.randomUUID()).status()).isEqualTo(404);
	}

	@Test
	void aJobOfManyTasksListsEachInOrderWithItsInputAndResult() {
		int count = 300;
		String numbers = String.join(",", IntStream.rangeClosed(1, count).mapToObj(Integer::toString).toList());
		JsonNode job = api().post("/api/jobs/sum?wait=60", "{\"numbers\":[" + numbers + "]}").json();

		assertThat(job.get("status").asString()).isEqualTo("succeeded");
		JsonNode tasks = api().get("/api/jobs/" + job.get("id").asString()).json().get("tasks");
		assertThat(tasks).hasSize(count);
		for (int i = 0; i < count; i++) {
			JsonNode task = tasks.get(i);
			assertThat(task.get("index").asInt()).isEqualTo(i);
			assertThat(task.get("input").asLong()).isEqualTo(i + 1);
			assertThat(task.get("result").bigIntegerValue()).isEqualTo(RangeSum.closedForm(i + 1));
		}
		assertThat(job.get("tasks")).isEqualTo(tasks);
	}

	@Test
	void aLateSubscriberGetsEveryEventReplayed() throws Exception {
		String urls = String.join(",",
				IntStream.range(0, 8)
					.mapToObj((i) -> "\"" + loopback.pages().url("/delay?ms=5&i=" + i) + "\"")
					.toList());
		String id = api().post("/api/jobs/fetch?wait=60", "{\"urls\":[" + urls + "]}").json().get("id").asString();

		List<String> events = eventNames("/api/jobs/" + id + "/events");

		assertThat(events.stream().filter("task"::equals)).hasSize(8);
		assertThat(events.get(events.size() - 1)).isEqualTo("job");
	}

	@Test
	void aDeleteCancelsTheRunningTasksAndDropsTheWaitingOnes() {
		String urls = String.join(",",
				IntStream.range(0, 6)
					.mapToObj((i) -> "\"" + loopback.pages().url("/delay?ms=20000&i=" + i) + "\"")
					.toList());
		String id = api()
			.post("/api/jobs/fetch", "{\"urls\":[" + urls + "],\"executor\":\"virtual\",\"concurrency\":2}")
			.json()
			.get("id")
			.asString();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> api().get("/api/jobs/" + id).json().get("status").asString().equals("running"));

		ApiClient.Response deleted = api().delete("/api/jobs/" + id);

		assertThat(deleted.status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> api().get("/api/jobs/" + id).json().get("status").asString().equals("cancelled"));
		JsonNode job = api().get("/api/jobs/" + id).json();
		assertThat(job.get("cancelReason").asString()).isEqualTo("cancelled by request");
		assertThat(job.get("tasks")).allSatisfy((task) -> {
			assertThat(task.get("status").asString()).isEqualTo("cancelled");
			assertThat(task.get("error").get("code").asString()).isEqualTo("cancelled");
		});
		assertThat(api().delete("/api/jobs/" + id).json().get("code").asString()).isEqualTo("job_already_finished");
	}

	@Test
	void theSameIdempotencyKeyGivesTheSameJobAndAnotherBodyIsRefused() {
		String key = "contract-" + UUID.randomUUID();
		String first = idempotent(key, "{\"numbers\":[3,4]}").json().get("id").asString();

		assertThat(idempotent(key, "{\"numbers\":[3,4]}").json().get("id").asString()).isEqualTo(first);
		ApiClient.Response reused = idempotent(key, "{\"numbers\":[5]}");
		assertThat(reused.status()).isEqualTo(422);
		assertThat(reused.json().get("code").asString()).isEqualTo("idempotency_key_reused");
	}

	private ApiClient.Response idempotent(String key, String body) {
		return api().send(HttpRequest.newBuilder(api().uri("/api/jobs/sum"))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", key)
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	@Test
	void pastTheQueueBoundAJobIsRefusedWith429AndRetryAfter() {
		String slow = String.join(",",
				IntStream.range(0, 350)
					.mapToObj((i) -> "\"" + loopback.pages().url("/delay?ms=10000&i=" + i) + "\"")
					.toList());
		String id = api()
			.post("/api/jobs/fetch", "{\"urls\":[" + slow + "],\"executor\":\"virtual\",\"concurrency\":1}")
			.json()
			.get("id")
			.asString();
		try {
			String more = String.join(",",
					IntStream.range(0, 100)
						.mapToObj((i) -> "\"" + loopback.pages().url("/delay?i=" + i) + "\"")
						.toList());

			ApiClient.Response refused = api().post("/api/jobs/fetch", "{\"urls\":[" + more + "]}");

			assertThat(refused.status()).isEqualTo(429);
			assertThat(refused.header("Retry-After")).isNotEmpty();
			assertThat(refused.json().get("code").asString()).isEqualTo("queue_full");
		}
		finally {
			api().delete("/api/jobs/" + id);
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> api().post("/api/jobs/sum", "{\"numbers\":[1]}").status() == 202);
	}

	@Test
	void aTaskPastItsDeadlineFailsWithTimeout() {
		JsonNode job = api()
			.post("/api/jobs/fetch?wait=60",
					"{\"urls\":[\"" + loopback.pages().url("/delay?ms=20000") + "\"],\"timeoutMs\":300}")
			.json();

		assertThat(job.get("status").asString()).isEqualTo("failed");
		assertThat(job.get("tasks").get(0).get("error").get("code").asString()).isEqualTo("timeout");
		assertThat(job.get("result").get("failed").asInt()).isEqualTo(1);
	}

	@Test
	void theClusterShowsTheStoreAndThisReplica() {
		JsonNode cluster = api().get("/api/cluster").json();

		assertThat(cluster.get("store").asString()).isEqualTo(store());
		String replica = cluster.get("replica").asString();
		List<String> replicas = new ArrayList<>();
		cluster.get("replicas").forEach((member) -> replicas.add(member.get("id").asString()));
		assertThat(replicas).contains(replica);
		assertThat(api().get("/actuator/health/readiness").status()).isEqualTo(200);
		assertThat(api().get("/actuator/prometheus").body()).contains("jobpool_cluster_replicas{")
			.contains("jobpool_cluster_queued_tasks{")
			.contains("jobpool_cluster_claim_seconds_bucket{")
			.contains("jobpool_cluster_tasks_reclaimed_total{")
			.contains("jobpool_cluster_redeliveries_total{");
	}

	private List<String> eventNames(String path) throws Exception {
		HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + loopback.port() + path))
				.timeout(Duration.ofSeconds(60))
				.build(), HttpResponse.BodyHandlers.ofLines());
		List<String> names = new ArrayList<>();
		try (Stream<String> lines = response.body()) {
			lines.filter((line) -> line.startsWith("event:")).forEach((line) -> names.add(line.substring(6).trim()));
		}
		return names;
	}

}
