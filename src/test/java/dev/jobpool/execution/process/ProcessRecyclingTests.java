package dev.jobpool.execution.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.LoopbackExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Recycling after N tasks and the retry-once rule, on a pool of one worker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "jobpool.process.workers=1",
		"jobpool.process.max-tasks-per-worker=3", "jobpool.process.retry-lost-tasks=true" })
class ProcessRecyclingTests {

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	@Test
	void aWorkerIsReplacedAfterMaxTasksPerWorker() {
		JsonNode job = loopback.api()
			.post("/api/jobs/sum?wait=60", "{\"numbers\":[1,2,3,4,5,6,7],\"executor\":\"process\"}")
			.json();

		assertThat(job.get("status").asString()).isEqualTo("succeeded");
		List<Long> pids = new ArrayList<>();
		job.get("tasks").forEach((task) -> pids.add(task.get("worker").get("pid").asLong()));
		assertThat(pids.subList(0, 3)).containsOnly(pids.get(0));
		assertThat(pids.subList(3, 6)).containsOnly(pids.get(3));
		assertThat(pids.get(3)).isNotEqualTo(pids.get(0));
		assertThat(pids.get(6)).isNotEqualTo(pids.get(3));
		assertThat(loopback.api().get("/actuator/prometheus").body()).containsPattern(
				"jobpool_worker_restarts_total\\{application=\"jobpool\",executor=\"process\",reason=\"recycle\"} [2-9]");
	}

	@Test
	void aTaskWhoseWorkerDiesRunsOnceMoreOnAFreshWorker() throws Exception {
		String location = loopback.api()
			.post("/api/jobs/sum", "{\"numbers\":[3000000000],\"executor\":\"process\",\"timeoutMs\":60000}")
			.header("Location");
		long first = Workers.pidRunning(loopback.api(), location, 0);

		Workers.signal("KILL", first);

		JsonNode job = await().atMost(Duration.ofSeconds(60))
			.until(() -> loopback.api().get(location).json(), (node) -> node.has("finishedAt"));
		JsonNode task = job.get("tasks").get(0);
		assertThat(task.get("status").asString()).as(task.toString()).isEqualTo("succeeded");
		assertThat(task.get("attempts").asInt()).isEqualTo(2);
		assertThat(task.get("worker").get("pid").asLong()).isNotEqualTo(first);
	}

	@Test
	void neverMoreThanOnce() throws Exception {
		String location = loopback.api()
			.post("/api/jobs/sum", "{\"numbers\":[10000000000],\"executor\":\"process\",\"timeoutMs\":60000}")
			.header("Location");
		long first = Workers.pidRunning(loopback.api(), location, 0);
		Workers.signal("KILL", first);
		long second = await().atMost(Duration.ofSeconds(30)).until(() -> {
			JsonNode task = loopback.api().get(location).json().get("tasks").get(0);
			long pid = task.get("worker").get("pid").asLong();
			return (pid != first && task.has("attempts")) ? pid : null;
		}, (pid) -> pid != null);

		Workers.signal("KILL", second);

		JsonNode job = await().atMost(Duration.ofSeconds(30))
			.until(() -> loopback.api().get(location).json(), (node) -> node.has("finishedAt"));
		JsonNode task = job.get("tasks").get(0);
		assertThat(task.get("status").asString()).isEqualTo("failed");
		assertThat(task.get("error").get("code").asString()).isEqualTo("worker_lost");
		assertThat(task.get("attempts").asInt()).isEqualTo(2);
	}

}
