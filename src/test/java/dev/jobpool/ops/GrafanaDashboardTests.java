package dev.jobpool.ops;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.ApiClient;
import dev.jobpool.LoopbackExtension;
import dev.jobpool.LoopbackHttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every metric that a panel of the provisioned Grafana dashboard queries is one the
 * service really exposes, once it has run a sum (in threads and in a worker process) and
 * a fetch job; the panels the service's metrics call for are there, laid out without
 * overlap.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GrafanaDashboardTests {

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	@Test
	void everyQueriedMetricIsExposed() throws IOException {
		List<GrafanaDashboard.Query> queries = GrafanaDashboard.queries(GrafanaDashboard.read());
		assertThat(queries).as("PromQL queries in %s", GrafanaDashboard.PATH).isNotEmpty();

		ApiClient api = loopback.api();
		// The worker-process histograms (dispatch and start-up time) exist once a worker
		// has run a task.
		for (String executor : List.of("platform", "process")) {
			assertThat(api
				.post("/api/jobs/sum?wait=30", "{\"numbers\":[1000,2000,3000],\"executor\":\"" + executor + "\"}")
				.json()
				.get("status")
				.asString()).as("sum on %s", executor).isEqualTo("succeeded");
		}
		LoopbackHttpServer pages = loopback.pages();
		String job = api
			.post("/api/jobs/fetch",
					"{\"urls\":[\"" + pages.url("/delay?ms=5&bytes=300") + "\",\"" + pages.url("/status?code=404")
							+ "\"],\"executor\":\"virtual\"}")
			.header("Location");
		// Whether the fetches got answers or were refused by the fetch guard, the job
		// ends.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> !List.of("queued", "running").contains(api.get(job).json().get("status").asString()));
		Set<String> exposed = Exposition.seriesNames(Exposition.scrape(api));

		Map<String, List<String>> missing = new TreeMap<>();
		for (GrafanaDashboard.Query query : queries) {
			Set<String> names = query.metricNames();
			assertThat(names).as("metric names in panel '%s': %s", query.name(), query.expr()).isNotEmpty();
			names.stream()
				.filter((name) -> !exposed.contains(name))
				.forEach((name) -> missing.computeIfAbsent(name, (key) -> new ArrayList<>()).add(query.name()));
		}
		assertThat(missing)
			.as("metrics queried by the dashboard (with their panels) that /actuator/prometheus " + "does not expose")
			.isEmpty();
	}

	@Test
	void hasPanelsForWorkerProcesses() {
		Set<String> queried = new HashSet<>();
		GrafanaDashboard.queries(GrafanaDashboard.read()).forEach((query) -> queried.addAll(query.metricNames()));

		assertThat(queried).as("metrics queried by %s", GrafanaDashboard.PATH)
			.contains("jobpool_workers", "jobpool_worker_restarts_total", "jobpool_worker_dispatch_seconds_bucket",
					"jobpool_worker_spawn_seconds_bucket");
	}

	@Test
	void hasARowForTheCluster() {
		JsonNode dashboard = GrafanaDashboard.read();
		assertThat(rowTitles(dashboard)).as("rows of %s", GrafanaDashboard.PATH).contains("Cluster");

		Set<String> queried = new HashSet<>();
		GrafanaDashboard.queries(dashboard).forEach((query) -> queried.addAll(query.metricNames()));
		assertThat(queried).as("metrics queried by %s", GrafanaDashboard.PATH)
			.contains("jobpool_cluster_replicas", "jobpool_cluster_tasks_reclaimed_total",
					"jobpool_cluster_redeliveries_total", "jobpool_cluster_claim_seconds_bucket",
					"jobpool_cluster_queued_tasks");
		assertThat(GrafanaDashboard.queries(dashboard))
			.as("a panel of %s shows running tasks by replica (one Prometheus target each)", GrafanaDashboard.PATH)
			.anySatisfy((query) -> {
				assertThat(query.metricNames()).containsExactly("jobpool_executor_active_tasks");
				assertThat(query.legendLabels()).containsAnyOf("instance", "replica");
			});
	}

	@Test
	void hasARowForCallbacks() {
		JsonNode dashboard = GrafanaDashboard.read();
		assertThat(rowTitles(dashboard)).as("rows of %s", GrafanaDashboard.PATH).contains("Callbacks");

		assertThat(GrafanaDashboard.queries(dashboard))
			.as("a panel of %s shows callback deliveries by outcome", GrafanaDashboard.PATH)
			.anySatisfy((query) -> {
				assertThat(query.metricNames()).containsExactly("jobpool_callback_deliveries_total");
				assertThat(query.legendLabels()).containsExactly("outcome");
			})
			.anySatisfy((query) -> {
				assertThat(query.metricNames()).containsExactly("jobpool_callback_seconds_bucket");
				assertThat(query.expr()).startsWith("histogram_quantile(0.95,");
			});
	}

	private static List<String> rowTitles(JsonNode dashboard) {
		List<String> rows = new ArrayList<>();
		dashboard.path("panels")
			.forEach((panel) -> rows
				.add(panel.path("type").asString().equals("row") ? panel.path("title").asString() : ""));
		return rows;
	}

	@Test
	void panelsHaveUniqueIdsADatasourceAndDoNotOverlap() {
		JsonNode dashboard = GrafanaDashboard.read();
		List<JsonNode> panels = GrafanaDashboard.panels(dashboard);

		assertThat(panels.stream().map((panel) -> panel.path("id").asInt(-1)))
			.as("panel ids in %s", GrafanaDashboard.PATH)
			.doesNotHaveDuplicates()
			.allMatch((id) -> id > 0);
		for (JsonNode panel : panels) {
			if (!panel.path("targets").isEmpty()) {
				assertThat(panel.path("datasource").path("uid").asString(""))
					.as("datasource of panel '%s'", panel.path("title").asString())
					.isEqualTo("prometheus");
			}
		}
		// Panels inside a collapsed row are placed when it opens; the top level must not
		// overlap.
		List<JsonNode> placed = new ArrayList<>();
		dashboard.path("panels").forEach(placed::add);
		for (int i = 0; i < placed.size(); i++) {
			JsonNode a = placed.get(i).get("gridPos");
			assertThat(a.path("x").asInt() + a.path("w").asInt())
				.as("right edge of panel '%s'", placed.get(i).path("title").asString())
				.isLessThanOrEqualTo(24);
			for (int j = i + 1; j < placed.size(); j++) {
				JsonNode b = placed.get(j).get("gridPos");
				boolean overlap = a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
						&& b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
						&& a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt()
						&& b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
				assertThat(overlap)
					.as("panels '%s' %s and '%s' %s overlap", placed.get(i).path("title").asString(), a,
							placed.get(j).path("title").asString(), b)
					.isFalse();
			}
		}
	}

}
