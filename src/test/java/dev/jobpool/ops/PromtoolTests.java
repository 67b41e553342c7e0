package dev.jobpool.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.ApiClient;
import dev.jobpool.LoopbackExtension;
import dev.jobpool.LoopbackHttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prometheus' own checker on the repository's scrape configurations (the default stack's
 * and the cluster profile's) and on the service's live exposition.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PromtoolTests {

	/**
	 * Lint findings accepted on meters that Spring Boot and Micrometer name, not jobpool:
	 * {@code http_server_requests_seconds}, {@code tomcat_sessions_*} and the long task
	 * timer have no description; {@code jvm_compilation_time_ms_total} and
	 * {@code process_cpu_time_ns_total} carry their unit abbreviated;
	 * {@code system_cpu_count} is a gauge ending in {@code _count}. Renaming them would
	 * break every dashboard written for Spring Boot.
	 */
	private static final List<String> ACCEPTED_FINDINGS = List.of("no help text",
			"metric names should not contain abbreviated units",
			"non-histogram and non-summary metrics should not have \"_count\" suffix");

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	@ParameterizedTest
	@ValueSource(strings = { "ops/prometheus/prometheus.yml", "ops/prometheus/prometheus-cluster.yml" })
	void repositoryScrapeConfigIsValid(String config) {
		ExternalTools.Result result = ExternalTools.run(Duration.ofSeconds(30), Path.of("."), null,
				List.of(ExternalTools.promtool().toString(), "check", "config", config));

		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("SUCCESS");
	}

	@Test
	void liveExpositionParsesAndJobpoolMetricsLintClean() throws Exception {
		String promtool = ExternalTools.promtool().toString();
		ApiClient api = loopback.api();
		// Sums (one in a worker process) and a fetch first, so that every histogram of
		// jobpool's, the workers' dispatch and start-up times included, has buckets with
		// samples.
		for (String executor : List.of("platform", "process")) {
			assertThat(api.post("/api/jobs/sum?wait=30", "{\"numbers\":[1000,2000],\"executor\":\"" + executor + "\"}")
				.status()).isEqualTo(200);
		}
		LoopbackHttpServer pages = loopback.pages();
		assertThat(api
			.post("/api/jobs/fetch?wait=30",
					"{\"urls\":[\"" + pages.url("/delay?ms=5&bytes=500") + "\"],\"executor\":\"virtual\"}")
			.status()).isEqualTo(200);

		ExternalTools.Result result = ExternalTools.run(Duration.ofSeconds(30), Path.of("."), Exposition.scrape(api),
				List.of(promtool, "check", "metrics"));

		// promtool check metrics exits 1 when the exposition cannot be parsed, 3 when it
		// parses but has lint findings, and 0 when it is clean.
		assertThat(result.exitCode()).as(result.output()).isIn(0, 3);
		assertThat(result.output()).doesNotContain("error while linting");
		List<String> findings = Arrays.stream(result.output().split("\n")).filter((line) -> !line.isBlank()).toList();
		assertThat(findings).as("findings on jobpool's own metrics (each needs a description and a unit)")
			.noneMatch((line) -> line.startsWith("jobpool_"));
		assertThat(findings).as("findings of kinds not accepted yet")
			.allMatch((line) -> ACCEPTED_FINDINGS.stream().anyMatch(line::endsWith));
	}

}
