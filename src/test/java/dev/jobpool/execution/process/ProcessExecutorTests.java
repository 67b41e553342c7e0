package dev.jobpool.execution.process;

import java.math.BigInteger;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.LoopbackExtension;
import dev.jobpool.sum.RangeSum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The process executors over real HTTP, with real worker processes that the tests kill,
 * stop and time out.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "jobpool.process.workers=2", "jobpool.process.spawn-max-running=2" })
class ProcessExecutorTests {

	private static final String LONG_SUM = "10000000000";

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	@BeforeEach
	void client() {
		awaitPoolIdle();
	}

	@Test
	void autoSendsSumsToTheProcessPoolWithResultsEqualToSequential() {
		String numbers = "[0,1,2,1000,10000000,4300000000]";
		JsonNode process = loopback.api().post("/api/jobs/sum?wait=60", "{\"numbers\":" + numbers + "}").json();
		JsonNode sequential = loopback.api()
			.post("/api/jobs/sum?wait=60", "{\"numbers\":" + numbers + ",\"executor\":\"sequential\"}")
			.json();

		assertThat(process.get("executor").asString()).isEqualTo("process");
		assertThat(process.get("requestedExecutor").asString()).isEqualTo("auto");
		assertThat(process.get("routing").get("reason").asString()).contains("worker process");
		assertThat(process.get("status").asString()).isEqualTo("succeeded");
		assertThat(process.get("tasks")).extracting((task) -> task.get("result").bigIntegerValue())
			.containsExactlyElementsOf(
					sequential.get("tasks").valueStream().map((task) -> task.get("result").bigIntegerValue()).toList())
			.contains(RangeSum.closedForm(4_300_000_000L));
		assertThat(process.get("tasks")).allSatisfy((task) -> {
			assertThat(task.get("worker").get("kind").asString()).isEqualTo("process");
			assertThat(task.get("worker").get("pid").asLong()).isNotEqualTo(ProcessHandle.current().pid());
			assertThat(task.get("cpuMs").asDouble()).isGreaterThanOrEqualTo(0);
		});
	}

	@Test
	void executorsListEachWorkerWithItsPid() {
		JsonNode process = executor("process");

		assertThat(process.get("kind").asString()).isEqualTo("process");
		assertThat(process.get("size").asInt()).isEqualTo(2);
		assertThat(process.get("workers")).hasSize(2).allSatisfy((worker) -> {
			long pid = worker.get("pid").asLong();
			assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
			assertThat(Workers.alive(pid)).isTrue();
			assertThat(ProcessHandle.of(pid).flatMap((handle) -> handle.parent()).map(ProcessHandle::pid))
				.contains(ProcessHandle.current().pid());
			assertThat(worker.get("state").asString()).isEqualTo("idle");
			assertThat(worker.has("tasksDone")).isTrue();
			assertThat(worker.has("uptimeMs")).isTrue();
			assertThat(worker.has("restarts")).isTrue();
		});
		assertThat(loopback.api().get("/actuator/prometheus").body()).contains(
				"jobpool_workers{application=\"jobpool\",executor=\"process\",state=\"idle\"} 2.0",
				"jobpool_worker_restarts_total{", "jobpool_worker_spawn_seconds_bucket{");
	}

	@Test
	void theClassicExperimentIsCutIntoOneShareAWorkerAndReportsOneExactResultATask() {
		JsonNode job = loopback.api()
			.post("/api/jobs/sum?wait=60", "{\"numbers\":[10000000,10000000,10000000],\"executor\":\"process\"}")
			.json();

		assertThat(job.get("status").asString()).isEqualTo("succeeded");
		assertThat(job.get("tasks")).hasSize(3).allSatisfy((task) -> {
			assertThat(task.get("status").asString()).isEqualTo("succeeded");
			assertThat(task.get("result").bigIntegerValue()).isEqualTo(sum(10_000_000));
		});
		// 30,000,000 numbers, 15,000,000 a worker: the middle sum is cut in two, the
		// others are not.
		assertThat(job.get("tasks").valueStream().map((task) -> task.path("chunks").asInt(1)).toList())
			.containsExactly(1, 2, 1);
		assertThat(job.get("result").get("total").bigIntegerValue())
			.isEqualTo(sum(10_000_000).multiply(BigInteger.valueOf(3)));
		// With one task at a time there is one share: nothing to cut.
		JsonNode oneAtATime = loopback.api()
			.post("/api/jobs/sum?wait=60",
					"{\"numbers\":[10000000,10000000,10000000],\"executor\":\"process\",\"concurrency\":1}")
			.json();
		assertThat(oneAtATime.get("tasks")).allSatisfy((task) -> assertThat(task.has("chunks")).isFalse());
	}

	@Test
	void killingAWorkerMidTaskFailsOnlyThatTaskWithWorkerLost() throws Exception {
		String location = loopback.api()
			.post("/api/jobs/sum", "{\"numbers\":[" + LONG_SUM + ",1000],\"executor\":\"process\",\"concurrency\":1}")
			.header("Location");
		long pid = Workers.pidRunning(loopback.api(), location, 0);

		Workers.signal("KILL", pid);

		JsonNode job = awaitFinished(location);
		assertThat(job.get("status").asString()).isEqualTo("failed");
		JsonNode lost = job.get("tasks").get(0);
		assertThat(lost.get("error").get("code").asString()).isEqualTo("worker_lost");
		assertThat(lost.get("error").get("message").asString()).contains("pid " + pid, "exit status 137");
		assertThat(job.get("tasks").get(1).get("status").asString()).isEqualTo("succeeded");
		assertThat(job.get("tasks").get(1).get("worker").get("pid").asLong()).isNotEqualTo(pid);
		awaitPoolIdle();
		assertThat(workerPids()).doesNotContain(pid).hasSize(2);
	}

	@Test
	void aTaskPastItsDeadlineHasItsWorkerKilledAndReplaced() {
		List<Long> before = workerPids();

		JsonNode job = loopback.api()
			.post("/api/jobs/sum?wait=30",
					"{\"numbers\":[" + LONG_SUM + "],\"executor\":\"process\",\"timeoutMs\":300}")
			.json();

		JsonNode task = job.get("tasks").get(0);
		assertThat(task.get("error").get("code").asString()).isEqualTo("timeout");
		long pid = task.get("worker").get("pid").asLong();
		assertThat(before).contains(pid);
		await().atMost(Duration.ofSeconds(10)).until(() -> !Workers.alive(pid));
		awaitPoolIdle();
		assertThat(workerPids()).doesNotContain(pid).hasSize(2);
		assertThat(loopback.api().get("/actuator/prometheus").body()).containsPattern(
				"jobpool_worker_restarts_total\\{application=\"jobpool\",executor=\"process\",reason=\"timeout\"} [1-9]");
	}

	@Test
	void aStoppedWorkerIsCaughtByTheDeadlineAndReplaced() throws Exception {
		String location = loopback.api()
			.post("/api/jobs/sum", "{\"numbers\":[" + LONG_SUM + "],\"executor\":\"process\",\"timeoutMs\":3000}")
			.header("Location");
		long pid = Workers.pidRunning(loopback.api(), location, 0);

		Workers.signal("STOP", pid);

		JsonNode job = awaitFinished(location);
		assertThat(job.get("tasks").get(0).get("error").get("code").asString()).isEqualTo("timeout");
		await().atMost(Duration.ofSeconds(10)).until(() -> !Workers.alive(pid));
		awaitPoolIdle();
		assertThat(workerPids()).doesNotContain(pid);
	}

	@Test
	void cancellingAJobKillsTheWorkersBusyWithIt() {
		String location = loopback.api()
			.post("/api/jobs/sum",
					"{\"numbers\":[" + LONG_SUM + "," + LONG_SUM + "," + LONG_SUM + "],\"executor\":\"process\"}")
			.header("Location");
		long first = Workers.pidRunning(loopback.api(), location, 0);

		assertThat(loopback.api().delete(location).status()).isEqualTo(200);

		JsonNode job = awaitFinished(location);
		assertThat(job.get("status").asString()).isEqualTo("cancelled");
		assertThat(job.get("tasks"))
			.allSatisfy((task) -> assertThat(task.get("error").get("code").asString()).isEqualTo("cancelled"));
		await().atMost(Duration.ofSeconds(10)).until(() -> !Workers.alive(first));
		awaitPoolIdle();
		assertThat(workerPids()).doesNotContain(first).hasSize(2);
	}

	@Test
	void spawnStartsAFreshProcessPerTask() {
		JsonNode job = loopback.api()
			.post("/api/jobs/sum?wait=60", "{\"numbers\":[10,20,30,40],\"executor\":\"spawn\"}")
			.json();

		assertThat(job.get("status").asString()).isEqualTo("succeeded");
		Set<Long> pids = new HashSet<>();
		for (JsonNode task : job.get("tasks")) {
			pids.add(task.get("worker").get("pid").asLong());
			assertThat(task.get("result").bigIntegerValue()).isEqualTo(RangeSum.closedForm(task.get("input").asLong()));
		}
		assertThat(pids).hasSize(4).doesNotContain(ProcessHandle.current().pid());
		assertThat(pids).allSatisfy((pid) -> await().atMost(Duration.ofSeconds(10)).until(() -> !Workers.alive(pid)));
	}

	@Test
	void fetchesRunOnProcessesToo() {
		JsonNode job = loopback.api()
			.post("/api/jobs/fetch?wait=30",
					"{\"urls\":[\"" + loopback.pages().url("/delay?bytes=100") + "\",\""
							+ loopback.pages().url("/status?code=404") + "\"],\"executor\":\"process\"}")
			.json();

		assertThat(job.get("status").asString()).isEqualTo("succeeded");
		assertThat(job.get("result").get("statusCounts").get("200").asInt()).isEqualTo(1);
		assertThat(job.get("result").get("statusCounts").get("404").asInt()).isEqualTo(1);
		assertThat(job.get("tasks").get(0).get("result").get("bytes").asLong()).isEqualTo(100);
		assertThat(job.get("tasks").get(0).get("worker").get("kind").asString()).isEqualTo("process");
	}

	private JsonNode executor(String name) {
		for (JsonNode executor : loopback.api().get("/api/executors").json().get("executors")) {
			if (executor.get("name").asString().equals(name)) {
				return executor;
			}
		}
		throw new AssertionError("No executor " + name);
	}

	private List<Long> workerPids() {
		return executor("process").get("workers").valueStream().map((worker) -> worker.get("pid").asLong()).toList();
	}

	private void awaitPoolIdle() {
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(executor("process").get("workers"))
				.allSatisfy((worker) -> assertThat(worker.get("state").asString()).isEqualTo("idle")));
	}

	private JsonNode awaitFinished(String location) {
		return await().atMost(Duration.ofSeconds(30))
			.until(() -> loopback.api().get(location).json(), (job) -> job.has("finishedAt"));
	}

	static BigInteger sum(long n) {
		return RangeSum.closedForm(n);
	}

}
