package dev.jobpool.execution.process;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import dev.jobpool.execution.TaskSubmission;
import dev.jobpool.sum.RangeSum;
import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskOutcome;
import dev.jobpool.task.TaskResult;
import dev.jobpool.task.TaskWork;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rehearsal (the service's warm-up) runs on a pooled worker as any task does, but the
 * pool counts it nowhere: not in its load, not in its dispatch metric, not among the
 * worker's tasks, which bring it nearer to being recycled.
 */
class RehearsalTests {

	@Test
	void aRehearsalRunsOnAWorkerAndIsCountedNowhere() throws Exception {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		// One task per worker: a counted rehearsal would have the worker replaced.
		ProcessProperties properties = new ProcessProperties(1, 1, List.of("-Xmx64m", "-XX:+UseSerialGC"), 1,
				DataSize.ofMegabytes(512), false, Duration.ofSeconds(30), Duration.ofSeconds(2));
		ProcessPoolExecutor executor = ProcessPoolExecutor.create(properties, WorkerCommand.build(properties),
				Workers::settings, new ProcessMetrics(registry), 10);
		try {
			executor.warmUp();
			for (int i = 0; i < 3; i++) {
				assertThat(run(executor, true))
					.isEqualTo(new TaskOutcome.Succeeded(new TaskResult.Sum(RangeSum.closedForm(1000))));
			}

			assertThat(executor.load().completed()).isZero();
			assertThat(executor.load().active()).isZero();
			assertThat(executor.workers()).singleElement().satisfies((worker) -> {
				assertThat(worker.tasksDone()).isZero();
				assertThat(worker.restarts()).isZero();
			});
			assertThat(registry.find("jobpool.worker.dispatch").timer()).isNull();

			run(executor, false);

			assertThat(executor.load().completed()).isEqualTo(1);
			assertThat(registry.get("jobpool.worker.dispatch").timer().count()).isEqualTo(1);
		}
		finally {
			executor.shutdown(Duration.ofSeconds(2));
		}
	}

	private static TaskOutcome run(ProcessPoolExecutor executor, boolean rehearsal) throws Exception {
		CompletableFuture<TaskOutcome> outcome = new CompletableFuture<>();
		TaskSubmission submission = new TaskSubmission(new TaskWork.Sum(1000),
				TaskControl.unstarted(Duration.ofSeconds(30)), Workers.completing(outcome));
		executor.submit(rehearsal ? submission.asRehearsal() : submission);
		return outcome.get(60, TimeUnit.SECONDS);
	}

}
