package dev.jobpool.execution.process;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.execution.TaskSubmission;
import dev.jobpool.execution.WorkerStatus;
import dev.jobpool.sum.RangeSum;
import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskOutcome;
import dev.jobpool.task.TaskResult;
import dev.jobpool.task.TaskWork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code spawn} executor starts a worker per task and, once it has stopped it, shows
 * its slot idle again; its meters carry the same state and reason tags as the pool's.
 */
class SpawnExecutorTests {

	@Test
	void aSlotIsIdleWithoutAWorkerOnceItsTaskHasEnded() throws Exception {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		ProcessProperties properties = new ProcessProperties(1, 1, List.of("-Xmx64m"), 0, DataSize.ofMegabytes(512),
				false, Duration.ofSeconds(30), Duration.ofSeconds(2));
		SpawnExecutor executor = SpawnExecutor.create(properties, WorkerCommand.build(properties), Workers::settings,
				new ProcessMetrics(registry), 10);
		try {
			CompletableFuture<TaskOutcome> outcome = new CompletableFuture<>();
			executor.submit(new TaskSubmission(new TaskWork.Sum(1000), TaskControl.unstarted(Duration.ofSeconds(30)),
					Workers.completing(outcome)));

			assertThat(outcome.get(60, TimeUnit.SECONDS))
				.isEqualTo(new TaskOutcome.Succeeded(new TaskResult.Sum(RangeSum.closedForm(1000))));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(executor.workers()).singleElement().satisfies((worker) -> {
					assertThat(worker.state()).isEqualTo("idle");
					assertThat(worker.pid()).isNull();
				}));
			assertThat(registry.get("jobpool.workers").tag("executor", "spawn").tag("state", "idle").gauge().value())
				.isEqualTo(1);
			assertThat(executor.workers()).extracting(WorkerStatus::restarts).containsExactly(0);
		}
		finally {
			executor.shutdown(Duration.ofSeconds(2));
		}
	}

	@Test
	void metersCarryEveryStateAndRestartReasonUnderTheirNames() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();

		new ProcessMetrics(registry).bindWorkers(ExecutorKind.SPAWN, List.of());

		assertThat(registry.find("jobpool.workers").meters()).map((meter) -> tag(meter, "state"))
			.containsExactlyInAnyOrder("starting", "idle", "busy", "stopped");
		assertThat(registry.find("jobpool.worker.restarts").meters()).map((meter) -> tag(meter, "reason"))
			.containsExactlyInAnyOrder("crash", "timeout", "cancel", "recycle", "unresponsive", "start_failed");
	}

	private static @Nullable String tag(Meter meter, String key) {
		return meter.getId().getTag(key);
	}

}
