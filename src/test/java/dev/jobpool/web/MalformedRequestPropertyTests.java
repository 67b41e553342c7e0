package dev.jobpool.web;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.jobpool.ApiClient;
import dev.jobpool.JobpoolApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throws random and malformed bodies at every POST: the answer is never a 5xx, and every
 * error is problem+json with a code. Limits are small so that what gets accepted is cheap
 * to run.
 */
class MalformedRequestPropertyTests {

	private static final List<String> PATHS = List.of("/api/jobs/sum", "/api/jobs/fetch", "/api/jobs/sum?wait=0",
			"/api/jobs/fetch?wait=0");

	private static final JsonMapper json = JsonMapper.builder().build();

	private static ConfigurableApplicationContext context;

	private static ApiClient api;

	@BeforeContainer
	static void start() {
		context = new SpringApplicationBuilder(JobpoolApplication.class)
			.properties("server.port=0", "jobpool.jobs.max-n=1000", "jobpool.jobs.max-numbers-per-job=5",
					"jobpool.jobs.max-urls-per-job=3", "jobpool.fetch.connect-timeout=1s",
					"jobpool.jobs.max-timeout=2s", "jobpool.jobs.default-timeout=2s", "jobpool.process.workers=1",
					"jobpool.process.spawn-max-running=1")
			.run();
		api = new ApiClient(((WebServerApplicationContext) context).getWebServer().getPort());
	}

	@AfterContainer
	static void stop() {
		context.close();
	}

	@Property(tries = 150)
	void randomTextIsNeverA5xx(@ForAll("paths") String path, @ForAll("text") String body) {
		assertAnswerIsSound(api.post(path, body));
	}

	@Property(tries = 250)
	void jsonOfTheWrongShapeIsNeverA5xx(@ForAll("paths") String path, @ForAll("jobLikeJson") String body) {
		assertAnswerIsSound(api.post(path, body));
	}

	private static void assertAnswerIsSound(ApiClient.Response response) {
		assertThat(response.status()).as(response.body()).isLessThan(500);
		if (response.status() >= 400) {
			assertThat(response.contentType()).startsWith("application/problem+json");
			JsonNode problem = response.json();
			assertThat(problem.get("code").asString()).isNotBlank();
			assertThat(problem.get("status").asInt()).isEqualTo(response.status());
		}
		else {
			assertThat(response.status()).isIn(200, 202);
		}
	}

	@Provide
	Arbitrary<String> paths() {
		return Arbitraries.of(PATHS);
	}

	@Provide
	Arbitrary<String> text() {
		return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200),
				Arbitraries.strings().withChars("{}[]\":,0123456789-.eE truefalsn\\").ofMaxLength(80),
				Arbitraries.of("", "null", "[]", "{}", "\"x\"", "1e999", "{\"numbers\":", "{\"numbers\":[1,]}",
						"{\"urls\":[\"http://\u0000\"]}", "\uFEFF{}"));
	}

	@Provide
	Arbitrary<String> jobLikeJson() {
		Arbitrary<Object> anyValue = Arbitraries.oneOf(Arbitraries.longs().map(Object.class::cast),
				Arbitraries.doubles().map(Object.class::cast),
				Arbitraries.strings().ofMaxLength(30).map(Object.class::cast),
				Arbitraries.of(true, false).map(Object.class::cast), Arbitraries.just(null),
				Arbitraries
					.of("http://example.invalid/", "https://127.0.0.1/", "ftp://x/", "http://[::1]/", "javascript:1",
							"http://0x7f.1/", "auto", "process", "spawn", "gpu")
					.map(Object.class::cast),
				Arbitraries.longs().between(-5, 5000).list().ofMaxSize(8).map(Object.class::cast));
		Arbitrary<String> key = Arbitraries.of("numbers", "urls", "executor", "concurrency", "timeoutMs", "extra");
		return Combinators.combine(key.list().ofMaxSize(5), anyValue.list().ofSize(5)).as((keys, values) -> {
			java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
			for (int i = 0; i < keys.size(); i++) {
				body.put(keys.get(i), values.get(i));
			}
			return json.writeValueAsString(body);
		});
	}

}
