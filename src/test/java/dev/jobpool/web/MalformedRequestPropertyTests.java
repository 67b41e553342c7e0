package dev.jobpool.web;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.jobpool.ApiClient;
import dev.jobpool.LoopbackExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throws random and malformed bodies at every POST: the answer is never a 5xx, and every
 * error is problem+json with a code. Limits are small so that what gets accepted is cheap
 * to run. The bodies come from one seed, printed at the start and in every failure;
 * {@code -Djobpool.fuzz.seed=N} replays a run.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "jobpool.jobs.max-n=1000", "jobpool.jobs.max-numbers-per-job=5",
				"jobpool.jobs.max-urls-per-job=3", "jobpool.fetch.connect-timeout=1s", "jobpool.jobs.max-timeout=2s",
				"jobpool.jobs.default-timeout=2s", "jobpool.process.workers=1", "jobpool.process.spawn-max-running=1" })
class MalformedRequestPropertyTests {

	/** More than the 150 + 250 tries of the jqwik properties this replaces. */
	static final int CASES = 480;

	private static final List<String> PATHS = List.of("/api/jobs/sum", "/api/jobs/fetch", "/api/jobs/sum?wait=0",
			"/api/jobs/fetch?wait=0", "/api/benchmarks");

	private static long seed;

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	@BeforeAll
	static void pickSeed() {
		seed = MalformedBodies.seed();
		System.out.println("MalformedRequestPropertyTests: seed " + seed + " (reproduce with -D"
				+ MalformedBodies.SEED_PROPERTY + "=" + seed + ")");
	}

	@TestFactory
	Stream<DynamicTest> noBodyAtAnyPostIsA5xx() {
		ApiClient api = loopback.api();
		MalformedBodies bodies = new MalformedBodies(seed);
		List<String> cases = bodies.bodies(CASES);
		List<String> paths = IntStream.range(0, CASES)
			.mapToObj((i) -> PATHS.get(bodies.nextInt(PATHS.size())))
			.toList();
		return IntStream.range(0, CASES)
			.mapToObj((i) -> DynamicTest.dynamicTest("case " + i + " " + paths.get(i), () -> {
				String because = "POST " + paths.get(i) + " " + cases.get(i) + " (case " + i + "; reproduce with -D"
						+ MalformedBodies.SEED_PROPERTY + "=" + seed + ")";
				assertAnswerIsSound(api.post(paths.get(i), cases.get(i)), because);
			}));
	}

	private static void assertAnswerIsSound(ApiClient.Response response, String because) {
		String description = because + " answered " + response.status() + " " + response.body();
		assertThat(response.status()).as(description).isLessThan(500);
		if (response.status() >= 400) {
			assertThat(response.contentType()).as(description).startsWith("application/problem+json");
			JsonNode problem = response.json();
			assertThat(problem.path("code").asString("")).as(description).isNotBlank();
			assertThat(problem.path("status").asInt()).as(description).isEqualTo(response.status());
		}
		else {
			assertThat(response.status()).as(description).isIn(200, 201, 202);
		}
	}

}
