package dev.jobpool.security;

import java.net.http.HttpRequest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.ApiClient;
import dev.jobpool.LoopbackExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With an API key set, {@code /api/**} requires it; health, metrics and the docs stay
 * open.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "jobpool.security.api-key=s3cret-key")
class ApiKeyTests {

	private static final String JOB = "{\"numbers\":[10],\"executor\":\"sequential\"}";

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	@Test
	void aMissingKeyIsA401Problem() {
		ApiClient.Response response = loopback.api().post("/api/jobs/sum", JOB);

		assertThat(response.status()).isEqualTo(401);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("code").asString()).isEqualTo("unauthorized");
		assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
		assertThat(loopback.api().get("/api/executors").status()).isEqualTo(401);
		assertThat(loopback.api().get("/api/jobs/anything").status()).isEqualTo(401);
	}

	@Test
	void aWrongKeyIsA401Problem() {
		ApiClient.Response response = loopback.api().send(post().header("X-API-Key", "s3cret-kez"));

		assertThat(response.status()).isEqualTo(401);
		assertThat(response.json().get("detail").asString()).contains("wrong");
		assertThat(loopback.api().send(post().header("Authorization", "Bearer nope")).status()).isEqualTo(401);
	}

	@Test
	void theKeyIsAcceptedAsHeaderOrBearerToken() {
		assertThat(loopback.api().send(post().header("X-API-Key", "s3cret-key")).status()).isEqualTo(202);
		assertThat(loopback.api().send(post().header("Authorization", "Bearer s3cret-key")).status()).isEqualTo(202);
	}

	@Test
	void healthMetricsAndDocsStayOpen() {
		loopback.api().post("/api/jobs/sum", JOB);

		assertThat(loopback.api().get("/actuator/health").status()).isEqualTo(200);
		ApiClient.Response metrics = loopback.api().get("/actuator/prometheus");
		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.body()).containsPattern("jobpool_jobs_rejected_total\\{[^}]*reason=\"unauthorized\"} [1-9]");
		assertThat(loopback.api().get("/v3/api-docs").status()).isEqualTo(200);
	}

	private HttpRequest.Builder post() {
		return HttpRequest.newBuilder(loopback.api().uri("/api/jobs/sum"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JOB));
	}

}
