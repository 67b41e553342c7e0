package dev.jobpool.execution.process;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.ApiClient;
import dev.jobpool.LoopbackExtension;
import dev.jobpool.sum.RangeSum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An idle worker stopped with SIGSTOP is noticed before it is given a task, instead of
 * holding that task until its deadline.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "jobpool.process.workers=1", "jobpool.process.ping-timeout=1s" })
class UnresponsiveWorkerTests {

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	@Test
	void aStoppedIdleWorkerIsReplacedBeforeItGetsATask() throws Exception {
		ApiClient api = loopback.api();
		long pid = await().atMost(Duration.ofSeconds(30)).until(() -> idleWorkerPid(api), (found) -> found != null);
		Workers.signal("STOP", pid);
		try {
			long sent = System.nanoTime();
			JsonNode job = api
				.post("/api/jobs/sum?wait=40", "{\"numbers\":[1000000],\"executor\":\"process\",\"timeoutMs\":60000}")
				.json();

			assertThat(job.get("status").asString()).isEqualTo("succeeded");
			JsonNode task = job.get("tasks").get(0);
			assertThat(task.get("result").bigIntegerValue()).isEqualTo(RangeSum.closedForm(1_000_000));
			assertThat(task.get("worker").get("pid").asLong()).isNotEqualTo(pid);
			assertThat(task.has("attempts")).isFalse();
			assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(30));
			await().atMost(Duration.ofSeconds(10)).until(() -> !Workers.alive(pid));
			assertThat(api.get("/actuator/prometheus").body()).containsPattern(
					"jobpool_worker_restarts_total\\{application=\"jobpool\",executor=\"process\",reason=\"unresponsive\"} [1-9]");
		}
		finally {
			Workers.signal("KILL", pid);
		}
	}

	private static Long idleWorkerPid(ApiClient api) {
		for (JsonNode executor : api.get("/api/executors").json().get("executors")) {
			if (executor.get("name").asString().equals("process")) {
				JsonNode worker = executor.get("workers").get(0);
				// Idle for a while: a worker that has just answered is not pinged.
				boolean idleAWhile = "idle".equals(worker.get("state").asString())
						&& worker.get("uptimeMs").asLong() > 2000;
				return idleAWhile ? worker.get("pid").asLong() : null;
			}
		}
		return null;
	}

}
