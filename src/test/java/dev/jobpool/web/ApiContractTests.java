package dev.jobpool.web;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.ApiClient;
import dev.jobpool.LoopbackExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every answer conforms to the service's own live {@code /v3/api-docs}: real requests to
 * every endpoint, on success and error paths and on every executor, each request and
 * answer checked by Atlassian's swagger-request-validator. Properties a schema does not
 * declare are errors here, so the document cannot fall behind what the service sends.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiContractTests {

	private static final List<String> EXECUTORS = List.of("sequential", "platform", "virtual", "process", "spawn",
			"auto");

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	private OpenApiInteractionValidator validator;

	@BeforeEach
	void validatorFromTheLiveDocument() {
		String document = loopback.api().get("/v3/api-docs").body();
		this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(document)
			.withLevelResolver(LevelResolver.create()
				.withLevel("validation.schema.additionalProperties", ValidationReport.Level.ERROR)
				.withLevel("validation.response.body.missing", ValidationReport.Level.ERROR)
				.build())
			.build();
	}

	@Test
	void everyOperationIsDescribed() {
		JsonNode paths = loopback.api().get("/v3/api-docs").json().get("paths");
		List<String> undescribed = new ArrayList<>();
		for (String path : paths.propertyNames()) {
			JsonNode operations = paths.get(path);
			for (String method : operations.propertyNames()) {
				JsonNode description = operations.get(method).get("description");
				if (description == null || description.asString().isBlank()) {
					undescribed.add(method.toUpperCase(Locale.ROOT) + " " + path);
				}
			}
		}
		assertThat(undescribed).isEmpty();
	}

	static Stream<String> executors() {
		return EXECUTORS.stream();
	}

	@ParameterizedTest
	@MethodSource("executors")
	void sumJobsOnEveryExecutor(String executor) {
		String body = "{\"numbers\":[1000,2000000],\"executor\":\"" + executor + "\"}";
		JsonExchange submitted = exchange("POST", "/api/jobs/sum?wait=30", body);
		assertThat(submitted.status()).isEqualTo(200);
		String id = submitted.response().json().get("id").asString();
		exchange("GET", "/api/jobs/" + id, null);
		exchange("GET", "/api/jobs?type=sum&limit=5", null);
	}

	@ParameterizedTest
	@MethodSource("executors")
	void fetchJobsOnEveryExecutor(String executor) {
		String body = "{\"urls\":[\"" + loopback.pages().url("/delay?ms=1&bytes=10") + "\",\""
				+ loopback.pages().url("/status?code=404") + "\",\"http://10.255.255.1/\"],\"executor\":\"" + executor
				+ "\"}";
		JsonExchange submitted = exchange("POST", "/api/jobs/fetch?wait=30", body);
		assertThat(submitted.status()).isEqualTo(200);
		exchange("GET", "/api/jobs/" + submitted.response().json().get("id").asString(), null);
	}

	@Test
	void aJobStillRunningAndCancelled() {
		JsonExchange submitted = exchange("POST", "/api/jobs/sum",
				"{\"numbers\":[10000000000,10000000000],\"executor\":\"platform\"}");
		assertThat(submitted.status()).isEqualTo(202);
		String id = submitted.response().json().get("id").asString();
		exchange("GET", "/api/jobs/" + id, null);
		JsonExchange cancelled = exchange("DELETE", "/api/jobs/" + id, null);
		assertThat(cancelled.status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> "cancelled".equals(loopback.api().get("/api/jobs/" + id).json().get("status").asString()));
		assertThat(exchange("DELETE", "/api/jobs/" + id, null).status()).isEqualTo(409);
		exchange("GET", "/api/jobs/" + id, null);
	}

	@Test
	void theEventStream() {
		JsonExchange submitted = exchange("POST", "/api/jobs/sum?wait=30", "{\"numbers\":[10,20]}");
		String id = submitted.response().json().get("id").asString();
		JsonExchange events = exchange("GET", "/api/jobs/" + id + "/events", null);
		assertThat(events.response().header("Content-Type")).startsWith("text/event-stream");
		assertThat(events.response().body()).contains("event:job");
		exchange("GET", "/api/jobs/00000000-0000-0000-0000-000000000000/events", null);
	}

	@Test
	void executorsAndBenchmarks() {
		exchange("GET", "/api/executors", null);
		exchange("GET", "/api/benchmarks/ping", null);
		JsonExchange benchmark = exchange("POST", "/api/benchmarks?wait=60",
				"{\"job\":{\"type\":\"sum\",\"numbers\":[1000]},\"executors\":[\"sequential\",\"platform\"],"
						+ "\"repeat\":1,\"warmup\":0}");
		assertThat(benchmark.status()).isEqualTo(200);
		String id = benchmark.response().json().get("id").asString();
		exchange("GET", "/api/benchmarks/" + id, null);
		exchange("GET", "/api/benchmarks", null);
		exchange("DELETE", "/api/benchmarks/" + id, null);
		exchange("GET", "/api/benchmarks/00000000-0000-0000-0000-000000000000", null);
	}

	@Test
	void errorAnswers() {
		List<Integer> statuses = new ArrayList<>();
		statuses.add(invalid("POST", "/api/jobs/sum", "{\"numbers\":[-1]}"));
		statuses.add(invalid("POST", "/api/jobs/sum", "{\"numbers\":[1],\"executor\":\"gpu\"}"));
		statuses.add(invalid("POST", "/api/jobs/sum", "not json"));
		statuses.add(invalid("POST", "/api/jobs/fetch", "{\"urls\":[\"ftp://example.org/\"]}"));
		statuses.add(invalid("POST", "/api/jobs/sum?wait=999", "{\"numbers\":[1]}"));
		statuses.add(invalid("GET", "/api/jobs?status=nope", null));
		statuses.add(exchange("GET", "/api/jobs/00000000-0000-0000-0000-000000000000", null).status());
		statuses.add(exchange("DELETE", "/api/jobs/00000000-0000-0000-0000-000000000000", null).status());
		statuses.add(invalid("POST", "/api/benchmarks",
				"{\"job\":{\"type\":\"sum\",\"numbers\":[1]},\"executors\":[\"auto\"]}"));
		assertThat(statuses).allSatisfy((status) -> assertThat(status).isBetween(400, 499));
	}

	@Test
	void idempotencyKeyReused() {
		exchange("POST", "/api/jobs/sum", "{\"numbers\":[5]}", Map.of("Idempotency-Key", "contract-key"));
		JsonExchange reused = exchange("POST", "/api/jobs/sum", "{\"numbers\":[6]}",
				Map.of("Idempotency-Key", "contract-key"));
		assertThat(reused.status()).isEqualTo(422);
	}

	private JsonExchange exchange(String method, String pathAndQuery, String body) {
		return exchange(method, pathAndQuery, body, Map.of());
	}

	/** Send a request that breaks the contract on purpose: only the answer is checked. */
	private int invalid(String method, String pathAndQuery, String body) {
		return send(method, pathAndQuery, body, Map.of(), false).status();
	}

	private JsonExchange exchange(String method, String pathAndQuery, String body, Map<String, String> headers) {
		return send(method, pathAndQuery, body, headers, true);
	}

	private JsonExchange send(String method, String pathAndQuery, String body, Map<String, String> headers,
			boolean validRequest) {
		HttpRequest.Builder http = HttpRequest.newBuilder(loopback.api().uri(pathAndQuery));
		headers.forEach(http::header);
		if (body != null) {
			http.header("Content-Type", "application/json");
			http.method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		else {
			http.method(method, HttpRequest.BodyPublishers.noBody());
		}
		ApiClient.Response response = loopback.api().send(http);
		URI uri = URI.create(pathAndQuery);
		SimpleRequest.Builder request = new SimpleRequest.Builder(Request.Method.valueOf(method), uri.getPath());
		if (uri.getQuery() != null) {
			for (String pair : uri.getQuery().split("&")) {
				String[] parts = pair.split("=", 2);
				request.withQueryParam(parts[0], (parts.length > 1) ? parts[1] : "");
			}
		}
		headers.forEach(request::withHeader);
		if (body != null) {
			request.withContentType("application/json").withBody(body);
		}
		SimpleResponse.Builder answer = SimpleResponse.Builder.status(response.status());
		if (!response.contentType().isEmpty()) {
			answer.withContentType(response.contentType());
		}
		if (!response.body().isEmpty()) {
			answer.withBody(response.body());
		}
		ValidationReport report = validRequest ? this.validator.validate(request.build(), answer.build())
				: this.validator.validateResponse(uri.getPath(), Request.Method.valueOf(method), answer.build());
		assertThat(report.getMessages())
			.as("%s %s answered %s:%n%s", method, pathAndQuery, response.status(), response.body())
			.filteredOn((message) -> message.getLevel() == ValidationReport.Level.ERROR)
			.isEmpty();
		return new JsonExchange(response.status(), response);
	}

	private record JsonExchange(int status, ApiClient.Response response) {
	}

}
