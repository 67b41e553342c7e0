package dev.jobpool.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.jobpool.ApiClient;
import dev.jobpool.LoopbackHttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every metric that a panel of the provisioned Grafana dashboard queries is one the
 * service really exposes, once it has run a sum and a fetch job.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GrafanaDashboardTests {

	private static final Path DASHBOARD = Path.of("ops/grafana/dashboards/jobpool.json");

	@LocalServerPort
	private int port;

	@Test
	void everyQueriedMetricIsExposed() throws IOException {
		Map<String, String> exprs = exprs(JsonMapper.builder().build().readTree(Files.readString(DASHBOARD)));
		assertThat(exprs).as("PromQL queries in %s", DASHBOARD).isNotEmpty();

		ApiClient api = new ApiClient(this.port);
		assertThat(api.post("/api/jobs/sum?wait=30", "{\"numbers\":[1000,2000,3000],\"executor\":\"platform\"}")
			.json()
			.get("status")
			.asString()).isEqualTo("succeeded");
		try (LoopbackHttpServer pages = new LoopbackHttpServer()) {
			String job = api
				.post("/api/jobs/fetch",
						"{\"urls\":[\"" + pages.url("/delay?ms=5&bytes=300") + "\",\"" + pages.url("/status?code=404")
								+ "\"],\"executor\":\"virtual\"}")
				.header("Location");
			// Whether the fetches got answers or were refused by the fetch guard, the job
			// ends.
			await().atMost(Duration.ofSeconds(30))
				.until(() -> !List.of("queued", "running").contains(api.get(job).json().get("status").asString()));
		}
		Set<String> exposed = Exposition.seriesNames(Exposition.scrape(api));

		Map<String, List<String>> missing = new TreeMap<>();
		exprs.forEach((panel, expr) -> {
			Set<String> names = PromQlMetricNames.in(expr);
			assertThat(names).as("metric names in panel '%s': %s", panel, expr).isNotEmpty();
			names.stream()
				.filter((name) -> !exposed.contains(name))
				.forEach((name) -> missing.computeIfAbsent(name, (key) -> new ArrayList<>()).add(panel));
		});
		assertThat(missing)
			.as("metrics queried by the dashboard (with their panels) that /actuator/prometheus " + "does not expose")
			.isEmpty();
	}

	/** Each panel's queries, nested rows included, keyed by panel title and refId. */
	private static Map<String, String> exprs(JsonNode dashboard) {
		Map<String, String> exprs = new LinkedHashMap<>();
		collect(dashboard.path("panels"), exprs);
		return exprs;
	}

	private static void collect(JsonNode panels, Map<String, String> exprs) {
		for (JsonNode panel : panels) {
			for (JsonNode target : panel.path("targets")) {
				String expr = target.path("expr").asString("");
				if (!expr.isBlank()) {
					exprs.put(panel.path("title").asString("?") + " / " + target.path("refId").asString("?"), expr);
				}
			}
			collect(panel.path("panels"), exprs);
		}
	}

}
