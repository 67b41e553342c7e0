package dev.jobpool.bench;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.ApiClient;
import dev.jobpool.LoopbackExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

/**
 * The benchmark API over real HTTP on a random port: small sum benchmarks on thread
 * executors, cancellation, the bounded queue, validation, the chart and the run counter.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "jobpool.benchmarks.max-queued=1", "jobpool.benchmarks.retry-after=7s",
				"jobpool.fetch.allowed-hosts=127.0.0.1" })
class BenchmarkApiTests {

	private static final String SMALL = """
			{"job":{"type":"sum","numbers":[1000,1000,1000]},"executors":["sequential","platform","virtual"],\
			"repeat":2,"warmup":1}""";

	/**
	 * A benchmark that runs until it is cancelled: a sum of 10^10 on one thread takes
	 * many seconds.
	 */
	private static final String LONG = """
			{"job":{"type":"sum","numbers":[10000000000]},"executors":["sequential","platform"],"repeat":1,"warmup":0}""";

	private static final Pattern RUNS = Pattern
		.compile("(?m)^jobpool_benchmark_runs_total\\{[^}]*type=\"sum\"[^}]*} ([0-9.Ee+-]+)$");

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	@Autowired
	private BenchmarkService benchmarks;

	private final List<String> started = new ArrayList<>();

	@Test
	void aServiceStoppedAndStartedAgainTakesBenchmarksAgain() {
		// What the test framework does to a cached context it pauses and later reuses.
		this.benchmarks.stop();
		this.benchmarks.start();

		ApiClient.Response response = loopback.api().post("/api/benchmarks?wait=60", SMALL);

		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.json().get("status").asString()).isEqualTo("succeeded");
	}

	@AfterEach
	void cancelLeftovers() {
		// Benchmarks run one at a time: leave none behind for the next test.
		this.started.forEach((location) -> loopback.api().delete(location));
	}

	@Test
	void smallSumBenchmarkRunsOnEachExecutorAndComparesThem() {
		double runsBefore = countedSumRuns();

		ApiClient.Response response = loopback.api().post("/api/benchmarks?wait=30", SMALL);

		assertThat(response.status()).isEqualTo(200);
		JsonNode benchmark = response.json();
		assertThat(response.header("Location")).isEqualTo("/api/benchmarks/" + benchmark.get("id").asString());
		assertThat(benchmark.get("status").asString()).isEqualTo("succeeded");
		assertThat(benchmark.has("reason")).isFalse();
		JsonNode request = benchmark.get("request");
		assertThat(request.get("job").get("type").asString()).isEqualTo("sum");
		assertThat(request.get("job").get("size").asInt()).isEqualTo(3);
		assertThat(request.get("job").get("numbers")).hasSize(3);
		assertThat(request.get("executors")).extracting(JsonNode::asString)
			.containsExactly("sequential", "platform", "virtual");
		assertThat(request.get("repeat").asInt()).isEqualTo(2);
		assertThat(request.get("warmup").asInt()).isEqualTo(1);
		Instant submittedAt = Instant.parse(benchmark.get("submittedAt").asString());
		Instant startedAt = Instant.parse(benchmark.get("startedAt").asString());
		assertThat(Instant.parse(benchmark.get("finishedAt").asString())).isAfterOrEqualTo(startedAt);
		assertThat(startedAt).isAfterOrEqualTo(submittedAt);
		assertThat(benchmark.get("progress").get("total").asInt()).isEqualTo(9);
		assertThat(benchmark.get("progress").get("done").asInt()).isEqualTo(9);
		assertThat(benchmark.get("chart").asString()).isEqualTo(response.header("Location") + "/chart.svg");

		JsonNode results = benchmark.get("results");
		assertThat(results).extracting((result) -> result.get("executor").asString())
			.containsExactly("sequential", "platform", "virtual");
		double sequentialMedian = results.get(0).get("medianMs").asDouble();
		for (JsonNode result : results) {
			assertThat(result.get("runs").asInt()).isEqualTo(2);
			double median = result.get("medianMs").asDouble();
			assertThat(median).isPositive().isBetween(result.get("minMs").asDouble(), result.get("maxMs").asDouble());
			assertThat(result.get("wallMs")).hasSize(2);
			assertThat(result.get("parallelism").asDouble()).isPositive();
			assertThat(result.get("speedup").asDouble()).isCloseTo(Math.round(sequentialMedian / median * 100) / 100.0,
					offset(0.011));
			assertThat(result.get("jobIds")).hasSize(2);
			assertThat(result.get("warmupJobIds")).hasSize(1);
			String executor = result.get("executor").asString();
			List<JsonNode> jobIds = new ArrayList<>();
			result.get("jobIds").forEach(jobIds::add);
			result.get("warmupJobIds").forEach(jobIds::add);
			for (JsonNode jobId : jobIds) {
				JsonNode job = loopback.api().get("/api/jobs/" + jobId.asString()).json();
				assertThat(job.get("status").asString()).isEqualTo("succeeded");
				assertThat(job.get("executor").asString()).isEqualTo(executor);
				assertThat(job.get("result").get("total").asLong()).isEqualTo(3 * 499_500L);
			}
		}
		assertThat(results.get(0).get("speedup").asDouble()).isEqualTo(1.0);
		JsonNode fastest = null;
		for (JsonNode result : results) {
			if (fastest == null || result.get("medianMs").asDouble() < fastest.get("medianMs").asDouble()) {
				fastest = result;
			}
		}
		assertThat(benchmark.get("winner").asString()).isEqualTo(fastest.get("executor").asString());
		assertThat(countedSumRuns() - runsBefore).isEqualTo(6);

		assertThat(loopback.api().get(response.header("Location")).json().get("results")).isEqualTo(results);
		assertThat(loopback.api().delete(response.header("Location")).json().get("code").asString())
			.isEqualTo("benchmark_already_finished");
	}

	@Test
	void withoutWaitAnswers202ThenAGetMayWaitAndTheBenchmarkIsListedNewestFirst() {
		ApiClient.Response response = loopback.api().post("/api/benchmarks", SMALL);

		assertThat(response.status()).isEqualTo(202);
		String location = response.header("Location");
		assertThat(response.json().get("status").asString()).isIn("queued", "running", "succeeded");
		assertThat(loopback.api().get(location + "?wait=30").json().get("status").asString()).isEqualTo("succeeded");
		ApiClient.Response later = loopback.api().post("/api/benchmarks?wait=30", SMALL);
		JsonNode list = loopback.api().get("/api/benchmarks?limit=2").json().get("benchmarks");
		assertThat(list).extracting((benchmark) -> benchmark.get("id").asString())
			.containsExactly(later.json().get("id").asString(), response.json().get("id").asString());
		assertThat(list.get(0).get("request").get("job").has("numbers")).isFalse();
		assertThat(list.get(0).get("request").get("job").get("size").asInt()).isEqualTo(3);
		assertThat(loopback.api().get("/api/benchmarks?limit=0").json().get("errors").get(0).get("field").asString())
			.isEqualTo("limit");
	}

	@Test
	void executorsRepeatAndWarmupHaveDefaults() {
		String location = submit("{\"job\":{\"type\":\"sum\",\"numbers\":[10000000000]}}");

		JsonNode request = loopback.api().get(location).json().get("request");

		assertThat(request.get("executors")).extracting(JsonNode::asString)
			.containsExactly("sequential", "platform", "virtual", "process", "spawn");
		assertThat(request.get("repeat").asInt()).isEqualTo(3);
		assertThat(request.get("warmup").asInt()).isEqualTo(1);
		assertThat(request.get("job").has("concurrency")).isFalse();
		assertThat(request.get("job").get("timeoutMs").asLong()).isEqualTo(600_000);
	}

	@Test
	void unknownBenchmarksAre404() {
		for (ApiClient.Response response : List.of(loopback.api().get("/api/benchmarks/nope"),
				loopback.api().delete("/api/benchmarks/nope"), loopback.api().get("/api/benchmarks/nope/chart.svg"))) {
			assertThat(response.status()).isEqualTo(404);
			assertThat(response.contentType()).startsWith("application/problem+json");
			assertThat(response.json().get("code").asString()).isEqualTo("benchmark_not_found");
		}
	}

	@Test
	void deleteCancelsTheRunningJobAndKeepsWhatWasDone() throws Exception {
		String location = submit(LONG);
		String jobId = await().atMost(Duration.ofSeconds(10)).until(() -> {
			JsonNode progress = loopback.api().get(location).json().get("progress");
			return progress.has("runningJobId") ? progress.get("runningJobId").asString() : null;
		}, (id) -> id != null);
		JsonNode running = loopback.api().get(location).json();
		assertThat(running.get("status").asString()).isEqualTo("running");
		assertThat(running.get("progress").get("runningOn").asString()).isEqualTo("sequential");
		Document chart = svg(loopback.api().get(location + "/chart.svg"));
		assertThat(texts(chart)).anySatisfy((text) -> assertThat(text).startsWith("Running: 0 of 2 runs done"))
			.contains("running…", "waiting");

		ApiClient.Response cancelled = loopback.api().delete(location);

		assertThat(cancelled.status()).isEqualTo(200);
		assertThat(cancelled.json().get("status").asString()).isEqualTo("cancelled");
		assertThat(cancelled.json().get("reason").asString()).isEqualTo("cancelled by request");
		assertThat(cancelled.json().get("finishedAt").asString()).isNotEmpty();
		assertThat(loopback.api().get("/api/jobs/" + jobId).json().get("status").asString()).isEqualTo("cancelled");
		assertThat(loopback.api().get(location).json().get("results").get(0).get("runs").asInt()).isZero();
		ApiClient.Response again = loopback.api().delete(location);
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.json().get("code").asString()).isEqualTo("benchmark_already_finished");
		// The runner is free again: the next benchmark runs.
		assertThat(loopback.api().post("/api/benchmarks?wait=30", SMALL).json().get("status").asString())
			.isEqualTo("succeeded");
	}

	@Test
	void benchmarksRunOneAtATimeAndAFullQueueAnswers429() {
		String first = submit(LONG);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> loopback.api().get(first).json().get("status").asString().equals("running"));
		String second = submit(SMALL);

		ApiClient.Response refused = loopback.api().post("/api/benchmarks", SMALL);

		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.header("Retry-After")).isEqualTo("7");
		assertThat(refused.json().get("code").asString()).isEqualTo("benchmark_queue_full");
		assertThat(loopback.api().get(second).json().get("status").asString()).isEqualTo("queued");
		JsonNode cancelled = loopback.api().delete(second).json();
		assertThat(cancelled.get("status").asString()).isEqualTo("cancelled");
		assertThat(cancelled.has("startedAt")).isFalse();
		// Its place in the queue is free again at once.
		String third = submit(SMALL);
		assertThat(loopback.api().get(third).json().get("status").asString()).isEqualTo("queued");
		loopback.api().delete(first);
		await().atMost(Duration.ofSeconds(15))
			.until(() -> loopback.api().get(third).json().get("status").asString().equals("succeeded"));
		assertThat(loopback.api().get(second).json().get("progress").get("done").asInt()).isZero();
	}

	@Test
	void badRequestsAre400NamingEachField() {
		JsonNode problem = loopback.api().post("/api/benchmarks", """
				{"job":{"type":"sum","numbers":[1,2,-3],"timeoutMs":0},\
				"executors":["platform","bogus","platform","auto",null],"repeat":0,"warmup":6}""").json();
		assertThat(problem.get("code").asString()).isEqualTo("invalid_request");
		assertThat(fields(problem)).containsExactlyInAnyOrder("job.numbers[2]", "job.timeoutMs", "executors[1]",
				"executors[2]", "executors[3]", "executors[4]", "repeat", "warmup");

		assertThat(fields(loopback.api().post("/api/benchmarks", "{\"executors\":[]}").json()))
			.containsExactlyInAnyOrder("job", "executors");
		assertThat(fields(loopback.api().post("/api/benchmarks", "{\"job\":{\"type\":\"nope\"},\"repeat\":21}").json()))
			.containsExactlyInAnyOrder("job.type", "repeat");
		assertThat(fields(loopback.api().post("/api/benchmarks", "{\"job\":{\"numbers\":[1]}}").json()))
			.containsExactly("job.type");
		assertThat(fields(loopback.api().post("/api/benchmarks", "{\"job\":{\"type\":\"sum\"}}").json()))
			.containsExactly("job.numbers");
		assertThat(fields(loopback.api()
			.post("/api/benchmarks", "{\"job\":{\"type\":\"fetch\",\"urls\":[\"ftp://x\"],\"numbers\":[1]}}")
			.json())).containsExactlyInAnyOrder("job.urls[0]", "job.numbers");
		assertThat(fields(loopback.api()
			.post("/api/benchmarks", "{\"job\":{\"type\":\"sum\",\"numbers\":[1],\"executor\":\"platform\"}}")
			.json())).containsExactly("job.executor");
		assertThat(fields(
				loopback.api().post("/api/benchmarks", "{\"job\":{\"type\":\"sum\",\"numbers\":[1,\"x\"]}}").json()))
			.containsExactly("job.numbers[1]");
		assertThat(fields(loopback.api().post("/api/benchmarks?wait=61", SMALL).json())).containsExactly("wait");
		ApiClient.Response problemResponse = loopback.api().post("/api/benchmarks", "{\"executors\":[\"auto\"]}");
		assertThat(problemResponse.status()).isEqualTo(400);
		assertThat(problemResponse.contentType()).startsWith("application/problem+json");
		assertThat(problemResponse.body()).contains("not auto");
	}

	@Test
	void theChartIsValidSvgNamingEachExecutor() throws Exception {
		JsonNode benchmark = loopback.api().post("/api/benchmarks?wait=30", SMALL).json();

		ApiClient.Response response = loopback.api().get(benchmark.get("chart").asString());

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.contentType()).startsWith("image/svg+xml");
		Document svg = svg(response);
		Element root = svg.getDocumentElement();
		assertThat(root.getLocalName()).isEqualTo("svg");
		assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
		List<String> texts = texts(svg);
		assertThat(texts).contains("sequential", "platform", "virtual")
			.anySatisfy((text) -> assertThat(text).startsWith("Sum job, 3 tasks of n = 1,000"))
			.anySatisfy((text) -> assertThat(text).startsWith("Fastest: " + benchmark.get("winner").asString()))
			.anySatisfy((text) -> assertThat(text).contains("baseline"));
		assertThat(svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect").getLength()).isEqualTo(1 + 3);
	}

	@Test
	void aRunWhoseJobFailsFailsTheBenchmarkAndKeepsTheResultsSoFar() throws Exception {
		AtomicInteger requests = new AtomicInteger();
		ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
		server.setExecutor(threads);
		// The first request gets its body; every later one gets headers promising more
		// than it sends.
		server.createContext("/", (exchange) -> {
			try (exchange) {
				boolean first = requests.incrementAndGet() == 1;
				exchange.sendResponseHeaders(200, first ? 3 : 1000);
				exchange.getResponseBody().write("ok!".getBytes(StandardCharsets.US_ASCII));
				exchange.getResponseBody().flush();
			}
		});
		server.start();
		try {
			String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/flaky";
			JsonNode benchmark = loopback.api()
				.post("/api/benchmarks?wait=30",
						"{\"job\":{\"type\":\"fetch\",\"urls\":[\"" + url + "\"],\"timeoutMs\":5000},"
								+ "\"executors\":[\"sequential\",\"platform\",\"virtual\"],\"repeat\":1,\"warmup\":0}")
				.json();

			assertThat(benchmark.get("status").asString()).isEqualTo("failed");
			assertThat(benchmark.get("reason").asString()).startsWith("run 1 of 1 on platform: job ")
				.contains("failed: 1 of 1 tasks failed (first: task 0, io");
			JsonNode results = benchmark.get("results");
			assertThat(results.get(0).get("runs").asInt()).isEqualTo(1);
			assertThat(results.get(1).get("runs").asInt()).isZero();
			assertThat(results.get(2).get("runs").asInt()).isZero();
			assertThat(benchmark.get("winner").asString()).isEqualTo("sequential");
			assertThat(benchmark.get("progress").get("done").asInt()).isEqualTo(1);
			assertThat(texts(svg(loopback.api().get(benchmark.get("chart").asString())))).contains("not run")
				.anySatisfy((text) -> assertThat(text).startsWith("Failed: run 1 of 1 on platform"));
		}
		finally {
			server.stop(0);
			threads.shutdownNow();
		}
	}

	private String submit(String body) {
		ApiClient.Response response = loopback.api().post("/api/benchmarks", body);
		assertThat(response.status()).as(response.body()).isEqualTo(202);
		String location = response.header("Location");
		this.started.add(location);
		return location;
	}

	private double countedSumRuns() {
		Matcher matcher = RUNS.matcher(loopback.api().get("/actuator/prometheus").body());
		assertThat(matcher.find()).as("jobpool_benchmark_runs_total{type=\"sum\"} is registered").isTrue();
		return Double.parseDouble(matcher.group(1));
	}

	private static List<String> fields(JsonNode problem) {
		List<String> fields = new ArrayList<>();
		problem.get("errors").forEach((error) -> fields.add(error.get("field").asString()));
		return fields;
	}

	static Document svg(ApiClient.Response response) throws Exception {
		assertThat(response.status()).isEqualTo(200);
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setNamespaceAware(true);
		factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
		factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
		return factory.newDocumentBuilder()
			.parse(new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8)));
	}

	static List<String> texts(Document svg) {
		NodeList nodes = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
		List<String> texts = new ArrayList<>();
		for (int i = 0; i < nodes.getLength(); i++) {
			texts.add(nodes.item(i).getTextContent());
		}
		return texts;
	}

}
