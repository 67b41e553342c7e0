package dev.jobpool.ops;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.ApiClient;
import dev.jobpool.FreePort;
import dev.jobpool.LoopbackExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus server on loopback scrapes the running service with the repository's
 * own {@code ops/prometheus/prometheus.yml} (its target pointed at the test's port, its
 * interval shortened), and its query API answers with the jobs just run, by executor.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusServerTests {

	private static final String BY_EXECUTOR = "sum by (executor) (jobpool_jobs_completed_total)";

	private static final List<String> EXECUTORS = List.of("sequential", "platform", "virtual");

	private static final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	private final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(2))
		.followRedirects(HttpClient.Redirect.NORMAL)
		.build();

	private Path directory;

	private Process prometheus;

	private String base;

	@BeforeAll
	void startPrometheus() throws IOException {
		Path binary = ExternalTools.prometheus();
		this.directory = Files.createTempDirectory("jobpool-prometheus-");
		Path config = this.directory.resolve("prometheus.yml");
		Files.writeString(config, testConfig(Path.of("ops/prometheus/prometheus.yml"), "127.0.0.1:" + loopback.port()));
		int prometheusPort = FreePort.find();
		this.base = "http://127.0.0.1:" + prometheusPort;
		this.prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config,
				"--storage.tsdb.path=" + this.directory.resolve("data"),
				"--web.listen-address=127.0.0.1:" + prometheusPort)
			.redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("prometheus.log").toFile())
			.start();
		await("Prometheus ready at " + this.base).atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> {
				assertThat(this.prometheus.isAlive()).as("Prometheus is running; its log:\n%s", log()).isTrue();
				return status("/-/ready") == 200;
			});
	}

	@AfterAll
	void stopPrometheus() throws Exception {
		if (this.prometheus != null) {
			this.prometheus.destroy();
			if (!this.prometheus.waitFor(10, TimeUnit.SECONDS)) {
				this.prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		if (this.directory != null) {
			try (Stream<Path> files = Files.walk(this.directory)) {
				files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
		}
	}

	@Test
	void queriesTheJobsJustRunByExecutor() {
		Map<String, Double> expected = runJobs();

		await("Prometheus scraped the jobs").atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> {
				Map<String, Double> scraped = query(BY_EXECUTOR);
				for (String executor : EXECUTORS) {
					assertThat(scraped.get(executor)).as("completed jobs on %s", executor)
						.isNotNull()
						.isGreaterThanOrEqualTo(expected.get(executor));
				}
			});

		JsonNode target = get("/api/v1/targets").get("data").get("activeTargets").get(0);
		assertThat(target.get("labels").get("job").asString()).isEqualTo("jobpool");
		assertThat(target.get("scrapeUrl").asString())
			.isEqualTo("http://127.0.0.1:" + loopback.port() + Exposition.PATH);
		assertThat(target.get("health").asString()).isEqualTo("up");
	}

	@Test
	void workerPanelsOfTheGrafanaDashboardGetSeries() {
		List<GrafanaDashboard.Query> workerQueries = queriesOf("jobpool_worker");
		assertThat(workerQueries).as("queries of worker metrics in %s", GrafanaDashboard.PATH).isNotEmpty();
		ApiClient api = loopback.api();
		ApiClient.Response response = api.post("/api/jobs/sum?wait=30",
				"{\"numbers\":[100000,200000],\"executor\":\"process\"}");
		assertThat(response.json().get("status").asString()).isEqualTo("succeeded");

		// Once Prometheus has scraped the worker that ran the sum.
		assertPanelsGetSeries("the worker panels", workerQueries);
	}

	@Test
	void clusterPanelsOfTheGrafanaDashboardGetSeries() {
		// The memory store is a cluster of one: its metrics are there as on Redis.
		List<GrafanaDashboard.Query> clusterQueries = queriesOf("jobpool_cluster");
		assertThat(clusterQueries).as("queries of cluster metrics in %s", GrafanaDashboard.PATH).isNotEmpty();
		runJobs();

		assertPanelsGetSeries("the cluster panels", clusterQueries);
	}

	@Test
	void callbackPanelsOfTheGrafanaDashboardGetSeries() {
		List<GrafanaDashboard.Query> callbackQueries = queriesOf("jobpool_callback");
		assertThat(callbackQueries).as("queries of callback metrics in %s", GrafanaDashboard.PATH).isNotEmpty();
		ApiClient api = loopback.api();
		// A callback to the service itself is refused by the guard: an attempt counted as
		// blocked, whatever else runs.
		String self = "http://127.0.0.1:" + loopback.port() + "/api/jobs";
		String id = api.post("/api/jobs/sum?wait=30", "{\"numbers\":[1000],\"callback\":{\"url\":\"" + self + "\"}}")
			.json()
			.get("id")
			.asString();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> api.get("/api/jobs/" + id).json().get("callback").get("status").asString().equals("failed"));

		assertPanelsGetSeries("the callback panels", callbackQueries);
	}

	private static List<GrafanaDashboard.Query> queriesOf(String metricPrefix) {
		return GrafanaDashboard.queries(GrafanaDashboard.read())
			.stream()
			.filter((query) -> query.metricNames().stream().anyMatch((name) -> name.startsWith(metricPrefix)))
			.toList();
	}

	/**
	 * Each query is valid PromQL to Prometheus and has series carrying the labels its
	 * legend names.
	 */
	private void assertPanelsGetSeries(String what, List<GrafanaDashboard.Query> queries) {
		await("Prometheus answers " + what).atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> {
				for (GrafanaDashboard.Query query : queries) {
					List<JsonNode> series = new ArrayList<>();
					queryResult(query.expr()).forEach(series::add);
					assertThat(series).as("series of '%s': %s", query.name(), query.expr()).isNotEmpty();
					assertThat(series).as("labels of '%s' named by its legend %s", query.name(), query.legendFormat())
						.allSatisfy((one) -> assertThat(one.get("metric").propertyNames())
							.containsAll(query.legendLabels()));
				}
			});
	}

	@Test
	void graphPageShowsAJobpoolMetric() throws Exception {
		if (status("/graph") != 200 || !send("/graph").body().contains("graph")) {
			Assumptions.abort("This Prometheus does not serve its web UI at /graph (a distribution may leave out "
					+ "its assets), so there is no graph to take a picture of");
		}
		runJobs();
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> query(BY_EXECUTOR).keySet().containsAll(EXECUTORS));

		try (Browser browser = Browser.start()) {
			browser.driver()
				.get(this.base + "/graph?g0.expr=" + URLEncoder.encode(BY_EXECUTOR, StandardCharsets.UTF_8)
						+ "&g0.tab=0&g0.range_input=1m");
			browser.await(Duration.ofSeconds(30),
					(driver) -> driver.findElement(By.tagName("body")).getText().contains("executor=\"sequential\""));
			browser.screenshot("prometheus-graph");
		}
	}

	private Map<String, Double> runJobs() {
		ApiClient api = loopback.api();
		for (String executor : EXECUTORS) {
			ApiClient.Response response = api.post("/api/jobs/sum?wait=30",
					"{\"numbers\":[100000,200000],\"executor\":\"" + executor + "\"}");
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.json().get("status").asString()).isEqualTo("succeeded");
		}
		// Other tests share this service: what Prometheus must see is the count now, ours
		// included.
		return Exposition.sumBy(Exposition.scrape(api), "jobpool_jobs_completed_total", "executor");
	}

	/**
	 * Rewrite the repository's configuration for this test: the jobpool job's target
	 * becomes the test's port and the scrape interval one second. Everything else stays
	 * as committed.
	 */
	@SuppressWarnings("unchecked")
	static String testConfig(Path committed, String target) throws IOException {
		Map<String, Object> config = new Yaml().load(Files.readString(committed));
		Map<String, Object> global = (Map<String, Object>) config.computeIfAbsent("global", (key) -> new HashMap<>());
		global.put("scrape_interval", "1s");
		global.put("scrape_timeout", "1s");
		List<Map<String, Object>> jobs = (List<Map<String, Object>>) config.get("scrape_configs");
		Map<String, Object> job = jobs.stream()
			.filter((candidate) -> "jobpool".equals(candidate.get("job_name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError(committed + " has no scrape job named jobpool"));
		List<Map<String, Object>> staticConfigs = (List<Map<String, Object>>) job.get("static_configs");
		assertThat(staticConfigs).as("%s: the jobpool job's static_configs", committed).hasSize(1);
		staticConfigs.get(0).put("targets", List.of(target));
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		return new Yaml(options).dump(config);
	}

	private Map<String, Double> query(String promql) {
		Map<String, Double> values = new HashMap<>();
		for (JsonNode series : queryResult(promql)) {
			values.put(series.get("metric").path("executor").asString(""),
					Double.parseDouble(series.get("value").get(1).asString()));
		}
		return values;
	}

	private JsonNode queryResult(String promql) {
		JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
		assertThat(answer.get("status").asString()).as("query %s", promql).isEqualTo("success");
		return answer.get("data").get("result");
	}

	private JsonNode get(String path) {
		HttpResponse<String> response = send(path);
		assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

	private int status(String path) {
		try {
			return send(path).statusCode();
		}
		catch (IllegalStateException ex) {
			return -1;
		}
	}

	private HttpResponse<String> send(String path) {
		try {
			return this.http.send(
					HttpRequest.newBuilder(URI.create(this.base + path)).timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException("GET " + this.base + path + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private String log() {
		try {
			return Files.readString(this.directory.resolve("prometheus.log"));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

}
