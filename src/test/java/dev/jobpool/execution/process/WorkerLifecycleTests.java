package dev.jobpool.execution.process;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.jobpool.JobpoolApplication;
import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.execution.ExecutorRegistry;
import dev.jobpool.execution.WorkerStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Worker processes live and die with the application context.
 */
class WorkerLifecycleTests {

	@Test
	void noWorkerProcessIsLeftOnceTheContextCloses() {
		List<Long> pids;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(JobpoolApplication.class)
			.properties("jobpool.process.workers=2", "jobpool.executors.shutdown-grace=2s")
			// A command-line argument: application.yml's server.port outranks default
			// properties, and 8080 may be taken.
			.run("--server.port=0")) {
			ExecutorRegistry executors = context.getBean(ExecutorRegistry.class);
			pids = await().atMost(Duration.ofSeconds(30))
				.until(() -> executors.get(ExecutorKind.PROCESS)
					.workers()
					.stream()
					.map(WorkerStatus::pid)
					.filter((pid) -> pid != null)
					.map(Long::longValue)
					.toList(), (found) -> found.size() == 2);
			assertThat(pids).allSatisfy((pid) -> assertThat(Workers.alive(pid)).isTrue());
		}

		assertThat(pids).allSatisfy((pid) -> assertThat(Workers.alive(pid)).isFalse());
	}

}
