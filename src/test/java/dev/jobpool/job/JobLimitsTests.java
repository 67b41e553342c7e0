package dev.jobpool.job;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.ApiClient;
import dev.jobpool.LoopbackExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bounded admission, bounded storage and bounded bodies, with limits small enough to
 * reach.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "jobpool.jobs.max-queued-tasks=10", "jobpool.jobs.retry-after=3s",
				"jobpool.jobs.store.max-jobs=3", "jobpool.jobs.max-request-size=2KB" })
class JobLimitsTests {

	private static final String TEN_LONG_SUMS = "{\"numbers\":[10000000000,10000000000,10000000000,10000000000,"
			+ "10000000000,10000000000,10000000000,10000000000,10000000000,10000000000],\"executor\":\"sequential\"}";

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	@Test
	void aFullQueueAnswers429WithRetryAfterAndLeavesAcceptedJobsAlone() {
		ApiClient.Response accepted = loopback.api().post("/api/jobs/sum", TEN_LONG_SUMS);
		assertThat(accepted.status()).isEqualTo(202);
		String location = accepted.header("Location");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> loopback.api().get(location).json().get("status").asString().equals("running"));

		ApiClient.Response refused = loopback.api().post("/api/jobs/sum", "{\"numbers\":[1,2]}");

		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.header("Retry-After")).isEqualTo("3");
		assertThat(refused.contentType()).startsWith("application/problem+json");
		assertThat(refused.json().get("code").asString()).isEqualTo("queue_full");
		JsonNode job = loopback.api().get(location).json();
		assertThat(job.get("status").asString()).isEqualTo("running");
		assertThat(job.get("progress").get("failed").asInt()).isZero();

		assertThat(loopback.api().delete(location).status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> loopback.api().post("/api/jobs/sum?wait=10", "{\"numbers\":[1,2]}").status() == 200);
	}

	@Test
	void finishedJobsPastTheStoreLimitAreEvicted() {
		String first = loopback.api().post("/api/jobs/sum?wait=10", "{\"numbers\":[1]}").json().get("id").asString();
		for (int i = 0; i < 3; i++) {
			assertThat(loopback.api().post("/api/jobs/sum?wait=10", "{\"numbers\":[2]}").status()).isEqualTo(200);
		}

		ApiClient.Response evicted = loopback.api().get("/api/jobs/" + first);

		assertThat(evicted.status()).isEqualTo(404);
		assertThat(evicted.json().get("code").asString()).isEqualTo("job_not_found");
		assertThat(loopback.api().get("/api/jobs?limit=100").json().get("jobs").size()).isLessThanOrEqualTo(3);
	}

	@Test
	void aBodyPastTheSizeLimitIsA413Problem() {
		String big = "{\"numbers\":[" + "1,".repeat(1500) + "1]}";

		ApiClient.Response response = loopback.api().post("/api/jobs/sum", big);

		assertThat(response.status()).isEqualTo(413);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("code").asString()).isEqualTo("payload_too_large");
	}

}
