package dev.jobpool.execution.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.ApiClient;
import dev.jobpool.LoopbackExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker whose resident memory passes {@code max-worker-memory} after a task is
 * replaced; with a limit below any JVM's footprint, every task gets a fresh worker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "jobpool.process.workers=1", "jobpool.process.max-worker-memory=1MB" })
class ProcessMemoryRecyclingTests {

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	@Test
	void aWorkerPastTheMemoryLimitIsReplacedAfterItsTask() {
		ApiClient api = loopback.api();

		JsonNode job = api.post("/api/jobs/sum?wait=60", "{\"numbers\":[1,2,3],\"executor\":\"process\"}").json();

		assertThat(job.get("status").asString()).isEqualTo("succeeded");
		List<Long> pids = new ArrayList<>();
		job.get("tasks").forEach((task) -> pids.add(task.get("worker").get("pid").asLong()));
		assertThat(pids).doesNotHaveDuplicates();
		// The last task's result reaches the job before its worker is replaced and
		// counted.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(api.get("/actuator/prometheus").body()).containsPattern(
					"jobpool_worker_restarts_total\\{application=\"jobpool\",executor=\"process\",reason=\"recycle\"} [3-9]"));
	}

}
