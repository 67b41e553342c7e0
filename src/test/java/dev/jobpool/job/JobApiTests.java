package dev.jobpool.job;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.ApiClient;
import dev.jobpool.LoopbackExtension;
import dev.jobpool.sum.RangeSum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole path over real HTTP on a random port: sum and fetch jobs on every thread
 * executor, against a real HTTP server on loopback.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobApiTests {

	private static final String CLASSIC = "{\"numbers\":[10000000,10000000,10000000]}";

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	@BeforeEach
	void resetPageCounters() {
		loopback.pages().resetCounters();
	}

	@Test
	void classicSumWithWaitAnswersTheFinishedJob() {
		ApiClient.Response response = loopback.api().post("/api/jobs/sum?wait=30", CLASSIC);

		assertThat(response.status()).isEqualTo(200);
		JsonNode job = response.json();
		assertThat(job.get("status").asString()).isEqualTo("succeeded");
		assertThat(job.get("type").asString()).isEqualTo("sum");
		assertThat(job.get("requestedExecutor").asString()).isEqualTo("auto");
		assertThat(job.get("executor").asString()).isEqualTo("process");
		assertThat(job.get("routing").get("reason").asString()).contains("CPU-bound");
		assertThat(job.get("progress").get("done").asInt()).isEqualTo(3);
		assertThat(job.get("tasks")).hasSize(3).allSatisfy((task) -> {
			assertThat(task.get("status").asString()).isEqualTo("succeeded");
			assertThat(task.get("result").bigIntegerValue()).isEqualTo(RangeSum.closedForm(10_000_000));
			assertThat(task.get("worker").get("kind").asString()).isEqualTo("process");
			assertThat(task.get("worker").get("name").asString()).startsWith("process-worker-");
			assertThat(task.get("worker").get("pid").asLong()).isNotEqualTo(ProcessHandle.current().pid());
			assertThat(task.get("durationMs").asDouble()).isPositive();
		});
		assertThat(job.get("result").get("total").bigIntegerValue())
			.isEqualTo(RangeSum.closedForm(10_000_000).multiply(BigInteger.valueOf(3)));
		JsonNode timing = job.get("timing");
		assertThat(timing.get("wallMs").asDouble()).isPositive();
		assertThat(timing.get("busyMs").asDouble()).isGreaterThanOrEqualTo(timing.get("wallMs").asDouble() * 0.5);
		assertThat(Instant.parse(job.get("finishedAt").asString()))
			.isAfterOrEqualTo(Instant.parse(job.get("startedAt").asString()));
	}

	@Test
	void postWithoutWaitAnswers202WithTheJobsLocation() {
		ApiClient.Response response = loopback.api().post("/api/jobs/sum", CLASSIC);

		assertThat(response.status()).isEqualTo(202);
		String location = response.header("Location");
		assertThat(location).isEqualTo("/api/jobs/" + response.json().get("id").asString());
		assertThat(response.json().get("status").asString()).isIn("queued", "running", "succeeded");
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(loopback.api().get(location).json().get("status").asString())
				.isEqualTo("succeeded"));
	}

	@Test
	void waitShorterThanTheJobAnswers202WithItsStateThen() {
		ApiClient.Response response = loopback.api()
			.post("/api/jobs/sum?wait=0",
					"{\"numbers\":[10000000000],\"executor\":\"sequential\",\"timeoutMs\":30000}");

		assertThat(response.status()).isEqualTo(202);
		assertThat(response.json().get("status").asString()).isIn("queued", "running");
		assertThat(loopback.api().delete(response.header("Location")).status()).isEqualTo(200);
	}

	@Test
	void sumsPastTwoToThe63AreExact() {
		long n = 4_300_000_000L;
		ApiClient.Response response = loopback.api()
			.post("/api/jobs/sum?wait=60", "{\"numbers\":[" + n + "],\"executor\":\"platform\"}");

		assertThat(response.status()).isEqualTo(200);
		BigInteger result = response.json().get("tasks").get(0).get("result").bigIntegerValue();
		assertThat(result).isEqualTo(RangeSum.closedForm(n)).isGreaterThan(BigInteger.TWO.pow(63));
		assertThat(response.body()).contains("\"result\":" + RangeSum.closedForm(n));
	}

	@Test
	void everyExecutorGivesTheSameResults() {
		for (String executor : List.of("sequential", "platform", "virtual", "process", "spawn")) {
			JsonNode job = loopback.api()
				.post("/api/jobs/sum?wait=30", "{\"numbers\":[0,1,2,1000,3000000],\"executor\":\"" + executor + "\"}")
				.json();
			assertThat(job.get("executor").asString()).isEqualTo(executor);
			assertThat(job.get("requestedExecutor").asString()).isEqualTo(executor);
			assertThat(job.get("tasks")).extracting((task) -> task.get("result").bigIntegerValue())
				.containsExactly(RangeSum.closedForm(0), RangeSum.closedForm(1), RangeSum.closedForm(2),
						RangeSum.closedForm(1000), RangeSum.closedForm(3_000_000));
		}
	}

	@Test
	void sequentialRunsOneTaskAtATime() {
		JsonNode job = loopback.api()
			.post("/api/jobs/sum?wait=60",
					"{\"numbers\":[30000000,30000000,30000000,30000000],"
							+ "\"executor\":\"sequential\",\"concurrency\":4}")
			.json();

		assertThat(job.get("status").asString()).isEqualTo("succeeded");
		assertThat(job.get("concurrency").asInt()).isEqualTo(1);
		List<long[]> windows = new ArrayList<>();
		for (JsonNode task : job.get("tasks")) {
			assertThat(task.get("worker").get("name").asString()).isEqualTo("jobpool-sequential-1");
			long start = Instant.parse(task.get("startedAt").asString()).toEpochMilli() * 1000;
			windows.add(new long[] { start, start + (long) (task.get("durationMs").asDouble() * 1000) });
		}
		windows.sort((a, b) -> Long.compare(a[0], b[0]));
		for (int i = 1; i < windows.size(); i++) {
			// Instants and durations come from different clocks: allow a millisecond of
			// skew.
			assertThat(windows.get(i)[0]).isGreaterThanOrEqualTo(windows.get(i - 1)[1] - 1000);
		}
	}

	@Test
	void concurrencyCapsWhatRunsAtOnce() {
		String urls = urls(20, "/delay?ms=100");
		JsonNode job = loopback.api()
			.post("/api/jobs/fetch?wait=60", "{\"urls\":" + urls + ",\"executor\":\"virtual\",\"concurrency\":3}")
			.json();

		assertThat(job.get("status").asString()).isEqualTo("succeeded");
		assertThat(job.get("concurrency").asInt()).isEqualTo(3);
		assertThat(loopback.pages().maxInFlight()).isBetween(1, 3);
		assertThat(job.get("timing").get("parallelism").asDouble()).isLessThanOrEqualTo(3.2);
	}

	@Test
	void virtualThreadsFetchAThousandSlowUrlsAtOnce() {
		String urls = urls(1000, "/delay?ms=200&bytes=64");
		JsonNode job = loopback.api()
			.post("/api/jobs/fetch?wait=60", "{\"urls\":" + urls + ",\"executor\":\"virtual\",\"timeoutMs\":30000}")
			.json();

		assertThat(job.get("status").asString()).as(errorsOf(job)).isEqualTo("succeeded");
		assertThat(job.get("result").get("ok").asInt()).isEqualTo(1000);
		assertThat(job.get("result").get("bytes").asLong()).isEqualTo(64_000);
		assertThat(job.get("tasks").get(0).get("worker").get("kind").asString()).isEqualTo("virtual");
		// A thousand delays one after another would take 200 s; at once they take about
		// one delay.
		assertThat(job.get("timing").get("wallMs").asDouble()).isLessThan(15_000);
		assertThat(loopback.pages().maxInFlight()).isGreaterThan(100);
	}

	@Test
	void autoRoutesFetchesToVirtualThreadsAndRecordsEachResponse() throws Exception {
		byte[] thousandZeros = new byte[1000];
		String sha256 = HexFormat.of()
			.formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(thousandZeros));
		String body = "{\"urls\":[\"" + loopback.pages().url("/delay?bytes=1000") + "\",\""
				+ loopback.pages().url("/status?code=404") + "\",\""
				+ loopback.pages().url("/redirect?to=/delay%3Fbytes%3D5") + "\",\"" + loopback.pages().url("/drop")
				+ "\",\"http://127.0.0.1:1/\"],\"timeoutMs\":10000}";

		JsonNode job = loopback.api().post("/api/jobs/fetch?wait=30", body).json();

		assertThat(job.get("executor").asString()).isEqualTo("virtual");
		assertThat(job.get("routing").get("reason").asString()).contains("IO-bound");
		assertThat(job.get("status").asString()).isEqualTo("failed");
		JsonNode tasks = job.get("tasks");
		assertThat(tasks.get(2).get("status").asString()).as(errorsOf(job)).isEqualTo("succeeded");
		assertThat(tasks.get(0).get("result").get("status").asInt()).isEqualTo(200);
		assertThat(tasks.get(0).get("result").get("bytes").asLong()).isEqualTo(1000);
		assertThat(tasks.get(0).get("result").get("sha256").asString()).isEqualTo(sha256);
		assertThat(tasks.get(0).get("result").get("contentType").asString()).isEqualTo("text/plain");
		assertThat(tasks.get(1).get("status").asString()).isEqualTo("succeeded");
		assertThat(tasks.get(1).get("result").get("status").asInt()).isEqualTo(404);
		assertThat(tasks.get(2).get("result").get("finalUrl").asString())
			.isEqualTo(loopback.pages().url("/delay?bytes=5"));
		assertThat(tasks.get(2).get("result").get("bytes").asLong()).isEqualTo(5);
		assertThat(tasks.get(3).get("status").asString()).isEqualTo("failed");
		assertThat(tasks.get(3).get("error").get("code").asString()).isEqualTo("io");
		assertThat(tasks.get(4).get("error").get("code").asString()).isEqualTo("connect");
		JsonNode result = job.get("result");
		assertThat(result.get("ok").asInt()).isEqualTo(3);
		assertThat(result.get("failed").asInt()).isEqualTo(2);
		assertThat(result.get("statusCounts").get("200").asInt()).isEqualTo(2);
		assertThat(result.get("statusCounts").get("404").asInt()).isEqualTo(1);
	}

	@Test
	void aSumPastItsDeadlineFailsWithTimeout() {
		JsonNode job = loopback.api()
			.post("/api/jobs/sum?wait=30", "{\"numbers\":[10000000000,5],\"executor\":\"platform\",\"timeoutMs\":200}")
			.json();

		assertThat(job.get("status").asString()).isEqualTo("failed");
		JsonNode slow = job.get("tasks").get(0);
		assertThat(slow.get("status").asString()).isEqualTo("failed");
		assertThat(slow.get("error").get("code").asString()).isEqualTo("timeout");
		assertThat(slow.get("durationMs").asDouble()).isLessThan(5_000);
		assertThat(job.get("tasks").get(1).get("status").asString()).isEqualTo("succeeded");
		assertThat(job.get("progress").get("failed").asInt()).isEqualTo(1);
	}

	@Test
	void aFetchPastItsDeadlineFailsWithTimeout() {
		JsonNode job = loopback.api()
			.post("/api/jobs/fetch?wait=30",
					"{\"urls\":[\"" + loopback.pages().url("/delay?ms=10000")
							+ "\"],\"executor\":\"platform\",\"timeoutMs\":300}")
			.json();

		JsonNode task = job.get("tasks").get(0);
		assertThat(task.get("error").get("code").asString()).isEqualTo("timeout");
		assertThat(task.get("durationMs").asDouble()).isLessThan(5_000);
	}

	@Test
	void deleteCancelsARunningJobAndThenAnswers409() {
		ApiClient.Response submitted = loopback.api()
			.post("/api/jobs/sum",
					"{\"numbers\":[10000000000,10000000000,10000000000,10000000000,10000000000],\"executor\":\"platform\"}");
		String location = submitted.header("Location");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> loopback.api().get(location).json().get("status").asString().equals("running"));

		ApiClient.Response cancelled = loopback.api().delete(location);

		assertThat(cancelled.status()).isEqualTo(200);
		assertThat(cancelled.json().get("status").asString()).isEqualTo("cancelled");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode job = loopback.api().get(location).json();
			assertThat(job.has("finishedAt")).isTrue();
			assertThat(job.get("progress").get("cancelled").asInt()).isEqualTo(5);
			assertThat(job.get("tasks")).allSatisfy((task) -> {
				assertThat(task.get("status").asString()).isEqualTo("cancelled");
				assertThat(task.get("error").get("code").asString()).isEqualTo("cancelled");
			});
		});
		ApiClient.Response again = loopback.api().delete(location);
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.contentType()).startsWith("application/problem+json");
		assertThat(again.json().get("code").asString()).isEqualTo("job_already_finished");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(
					loopback.api().get("/api/executors").json().get("executors").get(1).get("activeTasks").asInt())
				.isZero());
	}

	@ParameterizedTest
	@MethodSource("abortingExecutors")
	void theDeleteAnswerSaysCancelledOnlyOnceEveryTaskHasEnded(String executor) {
		String location = loopback.api()
			.post("/api/jobs/sum",
					"{\"numbers\":[10000000000,10000000000,10000000000,10000000000],\"executor\":\"" + executor + "\"}")
			.header("Location");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> loopback.api().get(location).json().get("status").asString().equals("running"));

		JsonNode answer = loopback.api().delete(location).json();

		assertThat(answer.get("cancelReason").asString()).isEqualTo("cancelled by request");
		List<String> taskStatuses = answer.get("tasks")
			.valueStream()
			.map((task) -> task.get("status").asString())
			.toList();
		if (answer.get("status").asString().equals("cancelled")) {
			assertThat(answer.has("finishedAt")).as(answer.toString()).isTrue();
			assertThat(taskStatuses).as(answer.toString()).doesNotContain("running", "queued");
		}
		else {
			assertThat(answer.get("status").asString()).as(answer.toString()).isEqualTo("running");
			assertThat(answer.has("finishedAt")).as(answer.toString()).isFalse();
		}
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			JsonNode job = loopback.api().get(location).json();
			assertThat(job.get("status").asString()).isEqualTo("cancelled");
			assertThat(job.has("finishedAt")).isTrue();
		});
	}

	@Test
	void theDashboardHasAFavicon() {
		assertThat(loopback.api().get("/favicon.ico").status()).isEqualTo(200);
		assertThat(loopback.api().get("/favicon.svg").status()).isEqualTo(200);
	}

	static Stream<String> abortingExecutors() {
		return Stream.of("platform", "process");
	}

	@Test
	void theJobSaysItsEffectiveConcurrencyAndWhy() {
		int platformSize = loopback.api()
			.get("/api/executors")
			.json()
			.get("executors")
			.valueStream()
			.filter((executor) -> executor.get("name").asString().equals("platform"))
			.findFirst()
			.map((executor) -> executor.get("size").asInt())
			.orElseThrow();
		int asked = platformSize + 2;
		JsonNode wide = loopback.api()
			.post("/api/jobs/sum?wait=30",
					"{\"numbers\":[1,2,3,4,5,6,7,8],\"executor\":\"platform\",\"concurrency\":" + asked + "}")
			.json();
		assertThat(wide.get("concurrency").asInt()).isEqualTo(platformSize);
		assertThat(wide.get("requestedConcurrency").asInt()).isEqualTo(asked);
		assertThat(wide.get("concurrencyReason").asString()).isEqualTo("platform runs at most " + platformSize
				+ " tasks at once (" + platformSize + " workers), fewer than the " + asked + " asked for");

		JsonNode sequential = loopback.api()
			.post("/api/jobs/sum?wait=30", "{\"numbers\":[1,2],\"executor\":\"sequential\",\"concurrency\":2}")
			.json();
		assertThat(sequential.get("concurrency").asInt()).isEqualTo(1);
		assertThat(sequential.get("concurrencyReason").asString()).isEqualTo("sequential runs one task at a time");

		JsonNode small = loopback.api()
			.post("/api/jobs/sum?wait=30", "{\"numbers\":[1],\"executor\":\"virtual\"}")
			.json();
		assertThat(small.get("concurrency").asInt()).isEqualTo(1);
		assertThat(small.has("requestedConcurrency")).isFalse();
		assertThat(small.get("concurrencyReason").asString()).isEqualTo("capped at the job's 1 task");
	}

	@Test
	void anIdempotentRetryGetsTheSameJobAndAnotherBodyIsA422() {
		java.net.http.HttpRequest.Builder first = java.net.http.HttpRequest
			.newBuilder(loopback.api().uri("/api/jobs/sum"))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", "retry-me-1")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"numbers\":[5,6]}"));
		String id = loopback.api().send(first).json().get("id").asString();

		ApiClient.Response retried = loopback.api().send(first);
		ApiClient.Response changed = loopback.api()
			.send(java.net.http.HttpRequest.newBuilder(loopback.api().uri("/api/jobs/sum"))
				.header("Content-Type", "application/json")
				.header("Idempotency-Key", "retry-me-1")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"numbers\":[5,7]}")));

		assertThat(retried.status()).isIn(200, 202);
		assertThat(retried.json().get("id").asString()).isEqualTo(id);
		assertThat(retried.header("Location")).isEqualTo("/api/jobs/" + id);
		assertThat(changed.status()).isEqualTo(422);
		assertThat(changed.contentType()).startsWith("application/problem+json");
		assertThat(changed.json().get("code").asString()).isEqualTo("idempotency_key_reused");
		assertThat(changed.json().get("errors").get(0).get("field").asString()).isEqualTo("Idempotency-Key");
	}

	@Test
	void aSmallJobIsNotStarvedByAHugeOneOnTheSamePool() {
		StringBuilder many = new StringBuilder();
		for (int i = 0; i < 60; i++) {
			many.append(i == 0 ? "" : ",").append(100_000_000);
		}
		String huge = loopback.api()
			.post("/api/jobs/sum", "{\"numbers\":[" + many + "],\"executor\":\"platform\"}")
			.header("Location");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> loopback.api().get(huge).json().get("status").asString().equals("running"));

		JsonNode small = loopback.api()
			.post("/api/jobs/sum?wait=60", "{\"numbers\":[1000,2000],\"executor\":\"platform\"}")
			.json();

		assertThat(small.get("status").asString()).isEqualTo("succeeded");
		JsonNode hugeNow = loopback.api().get(huge).json();
		assertThat(hugeNow.get("progress").get("done").asInt()).as("the huge job must still be running").isLessThan(60);
		loopback.api().delete(huge);
	}

	@Test
	void unknownJobsAre404Problems() {
		for (ApiClient.Response response : List.of(loopback.api().get("/api/jobs/no-such-job"),
				loopback.api().delete("/api/jobs/no-such-job"))) {
			assertThat(response.status()).isEqualTo(404);
			assertThat(response.contentType()).startsWith("application/problem+json");
			assertThat(response.json().get("code").asString()).isEqualTo("job_not_found");
		}
	}

	@Test
	void listShowsNewestFirstWithoutTasksAndFilters() {
		String first = loopback.api().post("/api/jobs/sum?wait=30", "{\"numbers\":[1]}").json().get("id").asString();
		String second = loopback.api()
			.post("/api/jobs/fetch?wait=30", "{\"urls\":[\"" + loopback.pages().url("/delay") + "\"]}")
			.json()
			.get("id")
			.asString();

		JsonNode all = loopback.api().get("/api/jobs?limit=2").json().get("jobs");
		assertThat(all).extracting((job) -> job.get("id").asString()).containsExactly(second, first);
		assertThat(all).allSatisfy((job) -> assertThat(job.has("tasks")).isFalse());
		JsonNode sums = loopback.api().get("/api/jobs?type=sum&status=succeeded&limit=1000").json().get("jobs");
		assertThat(sums).extracting((job) -> job.get("id").asString()).contains(first).doesNotContain(second);
		assertThat(sums).allSatisfy((job) -> assertThat(job.get("type").asString()).isEqualTo("sum"));
	}

	@Test
	void executorsAreListedWithTheirSizeAndLoad() {
		loopback.api().post("/api/jobs/sum?wait=30", "{\"numbers\":[5,6],\"executor\":\"sequential\"}");

		JsonNode executors = loopback.api().get("/api/executors").json().get("executors");

		assertThat(executors).extracting((e) -> e.get("name").asString())
			.containsExactly("sequential", "platform", "virtual", "process", "spawn");
		assertThat(executors).extracting((e) -> e.get("kind").asString())
			.containsExactly("thread", "thread", "virtual", "process", "process");
		assertThat(executors.get(0).get("size").asInt()).isEqualTo(1);
		assertThat(executors.get(1).get("size").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
		assertThat(executors.get(0).get("completedTasks").asLong()).isGreaterThanOrEqualTo(2);
		assertThat(executors).allSatisfy((e) -> {
			assertThat(e.has("activeTasks")).isTrue();
			assertThat(e.has("queuedTasks")).isTrue();
		});
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badRequests")
	void badInputIsA400ProblemNamingTheField(String name, String path, String body, String field) {
		ApiClient.Response response = loopback.api().post(path, body);

		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.get("code").asString()).isEqualTo("invalid_request");
		assertThat(problem.get("status").asInt()).isEqualTo(400);
		assertThat(problem.get("errors")).extracting((error) -> error.get("field").asString()).contains(field);
	}

	static Stream<Arguments> badRequests() {
		return Stream.of(Arguments.of("malformed JSON", "/api/jobs/sum", "{\"numbers\":[1,2", "numbers"),
				Arguments.of("not JSON at all", "/api/jobs/sum", "hello", "body"),
				Arguments.of("empty body", "/api/jobs/sum", "", "body"),
				Arguments.of("missing numbers", "/api/jobs/sum", "{}", "numbers"),
				Arguments.of("empty numbers", "/api/jobs/sum", "{\"numbers\":[]}", "numbers"),
				Arguments.of("numbers not an array", "/api/jobs/sum", "{\"numbers\":5}", "numbers"),
				Arguments.of("string as n", "/api/jobs/sum", "{\"numbers\":[1,\"2\"]}", "numbers[1]"),
				Arguments.of("fraction as n", "/api/jobs/sum", "{\"numbers\":[1.5]}", "numbers[0]"),
				Arguments.of("null n", "/api/jobs/sum", "{\"numbers\":[null]}", "numbers[0]"),
				Arguments.of("negative n", "/api/jobs/sum", "{\"numbers\":[-1]}", "numbers[0]"),
				Arguments.of("n past the limit", "/api/jobs/sum", "{\"numbers\":[10000000001]}", "numbers[0]"),
				Arguments.of("n past a long", "/api/jobs/sum", "{\"numbers\":[100000000000000000000000]}",
						"numbers[0]"),
				Arguments.of("too many numbers", "/api/jobs/sum",
						"{\"numbers\":" + IntStream.range(0, 1001).boxed().toList() + "}", "numbers"),
				Arguments.of("unknown executor", "/api/jobs/sum", "{\"numbers\":[1],\"executor\":\"gpu\"}", "executor"),
				Arguments.of("executor not a string", "/api/jobs/sum", "{\"numbers\":[1],\"executor\":7}", "executor"),
				Arguments.of("zero concurrency", "/api/jobs/sum", "{\"numbers\":[1],\"concurrency\":0}", "concurrency"),
				Arguments.of("timeout too small", "/api/jobs/sum", "{\"numbers\":[1],\"timeoutMs\":0}", "timeoutMs"),
				Arguments.of("timeout too large", "/api/jobs/sum", "{\"numbers\":[1],\"timeoutMs\":3600001}",
						"timeoutMs"),
				Arguments.of("unknown field", "/api/jobs/sum", "{\"numbers\":[1],\"timeout\":5}", "timeout"),
				Arguments.of("wait too long", "/api/jobs/sum?wait=61", "{\"numbers\":[1]}", "wait"),
				Arguments.of("wait negative", "/api/jobs/sum?wait=-1", "{\"numbers\":[1]}", "wait"),
				Arguments.of("wait not a number", "/api/jobs/sum?wait=soon", "{\"numbers\":[1]}", "wait"),
				Arguments.of("missing urls", "/api/jobs/fetch", "{}", "urls"),
				Arguments.of("ftp URL", "/api/jobs/fetch", "{\"urls\":[\"ftp://example.com/\"]}", "urls[0]"),
				Arguments.of("file URL", "/api/jobs/fetch",
						"{\"urls\":[\"https://a.example/\",\"file:///etc/passwd\"]}", "urls[1]"),
				Arguments.of("relative URL", "/api/jobs/fetch", "{\"urls\":[\"/just/a/path\"]}", "urls[0]"),
				Arguments.of("not a URL", "/api/jobs/fetch", "{\"urls\":[\"http://exa mple.com/\"]}", "urls[0]"),
				Arguments.of("URL too long", "/api/jobs/fetch",
						"{\"urls\":[\"http://example.com/" + "a".repeat(2100) + "\"]}", "urls[0]"),
				Arguments.of("too many URLs", "/api/jobs/fetch",
						"{\"urls\":" + IntStream.range(0, 10_001).mapToObj((i) -> "\"http://example.com/\"").toList()
								+ "}",
						"urls"),
				Arguments.of("unknown fetch executor", "/api/jobs/fetch",
						"{\"urls\":[\"http://example.com/\"],\"executor\":\"threads\"}", "executor"));
	}

	@Test
	void otherClientErrorsAreProblemsToo() {
		ApiClient.Response wrongType = loopback.api()
			.send(java.net.http.HttpRequest.newBuilder(loopback.api().uri("/api/jobs/sum"))
				.header("Content-Type", "text/plain")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"numbers\":[1]}")));
		assertThat(wrongType.status()).isEqualTo(415);
		assertThat(wrongType.json().get("code").asString()).isEqualTo("unsupported_media_type");
		ApiClient.Response wrongMethod = loopback.api()
			.send(java.net.http.HttpRequest.newBuilder(loopback.api().uri("/api/jobs/sum"))
				.PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
		assertThat(wrongMethod.status()).isEqualTo(405);
		assertThat(wrongMethod.json().get("code").asString()).isEqualTo("method_not_allowed");
		ApiClient.Response badFilter = loopback.api().get("/api/jobs?status=sleeping");
		assertThat(badFilter.status()).isEqualTo(400);
		assertThat(badFilter.json().get("errors").get(0).get("field").asString()).isEqualTo("status");
		ApiClient.Response badLimit = loopback.api().get("/api/jobs?limit=0");
		assertThat(badLimit.json().get("errors").get(0).get("field").asString()).isEqualTo("limit");
	}

	@Test
	void metricsNameJobsTasksAndExecutors() {
		loopback.api().post("/api/jobs/sum?wait=30", "{\"numbers\":[100],\"executor\":\"sequential\"}");
		loopback.api()
			.post("/api/jobs/fetch?wait=30", "{\"urls\":[\"" + loopback.pages().url("/status?code=503") + "\"]}");

		ApiClient.Response scrape = loopback.api().get("/actuator/prometheus");

		assertThat(scrape.status()).isEqualTo(200);
		assertThat(scrape.body()).contains("jobpool_jobs_submitted_total{", "jobpool_jobs_completed_total{",
				"jobpool_job_duration_seconds_bucket{", "jobpool_job_queue_seconds_bucket{",
				"jobpool_task_duration_seconds_bucket{", "jobpool_jobs_active{", "jobpool_executor_active_tasks{",
				"jobpool_executor_queued_tasks{", "jobpool_fetch_responses_total{", "jobpool_fetch_bytes_total",
				"http_server_requests_seconds_bucket{", "jvm_memory_used_bytes{", "process_cpu_usage");
		assertThat(scrape.body()).containsPattern(
				"jobpool_jobs_completed_total\\{[^}]*executor=\"sequential\"[^}]*status=\"succeeded\"[^}]*type=\"sum\"");
		assertThat(scrape.body()).containsPattern("jobpool_fetch_responses_total\\{[^}]*status_class=\"5xx\"");
		assertThat(loopback.api().get("/actuator/health").json().get("status").asString()).isEqualTo("UP");
		assertThat(loopback.api().get("/actuator/env").status()).isEqualTo(404);
		assertThat(loopback.api().get("/actuator/beans").status()).isEqualTo(404);
	}

	@Test
	void openApiDescribesEveryEndpointWithExamples() {
		ApiClient.Response docs = loopback.api().get("/v3/api-docs");

		assertThat(docs.status()).isEqualTo(200);
		JsonNode paths = docs.json().get("paths");
		assertThat(paths.has("/api/jobs/sum")).isTrue();
		assertThat(paths.has("/api/jobs/fetch")).isTrue();
		assertThat(paths.has("/api/jobs/{id}")).isTrue();
		assertThat(paths.has("/api/jobs")).isTrue();
		assertThat(paths.has("/api/executors")).isTrue();
		assertThat(docs.body()).contains("[10000000,10000000,10000000]", "https://www.python.org/");
		assertThat(paths.get("/api/jobs/{id}").get("delete").get("responses").has("409")).isTrue();
		for (String post : List.of("/api/jobs/sum", "/api/jobs/fetch")) {
			JsonNode responses = paths.get(post).get("post").get("responses");
			assertThat(List.of("200", "202", "400", "422", "429", "503")).as(post)
				.allSatisfy((code) -> assertThat(responses.has(code)).as(post + " " + code).isTrue());
		}
		paths.properties().forEach((path) -> path.getValue().properties().forEach((operation) -> {
			JsonNode responses = operation.getValue().get("responses");
			responses.properties()
				.stream()
				.filter((response) -> response.getKey().startsWith("4") || response.getKey().startsWith("5"))
				.forEach((response) -> assertThat(
						response.getValue().at("/content/application~1problem+json/schema/$ref").asString())
					.as(path.getKey() + " " + operation.getKey() + " " + response.getKey())
					.isEqualTo("#/components/schemas/ProblemDetail"));
		}));
		assertThat(docs.json().at("/components/schemas/ProblemDetail/properties").has("status")).isTrue();
		assertThat(loopback.api().get("/swagger-ui/index.html").status()).isEqualTo(200);
	}

	private static String errorsOf(JsonNode job) {
		StringBuilder errors = new StringBuilder();
		for (JsonNode task : job.get("tasks")) {
			if (task.has("error") && errors.length() < 2000) {
				errors.append(task.get("index")).append(": ").append(task.get("error")).append('\n');
			}
		}
		return errors.toString();
	}

	private static String urls(int count, String path) {
		return IntStream.range(0, count)
			.mapToObj((i) -> "\"" + loopback.pages().url(path + "&i=" + i) + "\"")
			.toList()
			.toString();
	}

}
