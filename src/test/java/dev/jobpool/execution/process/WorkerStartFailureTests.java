package dev.jobpool.execution.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.unit.DataSize;

import dev.jobpool.execution.TaskSubmission;
import dev.jobpool.sum.RangeSum;
import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskOutcome;
import dev.jobpool.task.TaskResult;
import dev.jobpool.task.TaskWork;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker that dies while it starts does not fail the task waiting for it: the task
 * waits for the next worker, and each death counts as a restart.
 */
class WorkerStartFailureTests {

	/**
	 * Dies with status 7 before the worker JVM starts, the first {@code $FAILS} times.
	 */
	private static final String DIE_FIRST_STARTS = """
			n=$(cat "$COUNT" 2>/dev/null || echo 0); echo $((n + 1)) > "$COUNT"
			if [ "$n" -lt "$FAILS" ]; then exit 7; fi
			exec "$@"
			""";

	@TempDir
	Path dir;

	@Test
	void aTaskWaitsForAWorkerThatStartsAfterOthersDiedInStartUp() throws Exception {
		Path count = this.dir.resolve("starts");
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		ProcessPoolExecutor executor = ProcessPoolExecutor.create(properties(), command(count, 2), Workers::settings,
				new ProcessMetrics(registry), 10);
		try {
			CompletableFuture<TaskOutcome> outcome = new CompletableFuture<>();
			executor.submit(new TaskSubmission(new TaskWork.Sum(1000), TaskControl.unstarted(Duration.ofSeconds(30)),
					Workers.completing(outcome)));

			assertThat(outcome.get(60, java.util.concurrent.TimeUnit.SECONDS))
				.isEqualTo(new TaskOutcome.Succeeded(new TaskResult.Sum(RangeSum.closedForm(1000))));
			assertThat(Files.readString(count).strip()).isEqualTo("3");
			assertThat(registry.get("jobpool.worker.restarts").tag("reason", "start_failed").counter().count())
				.isEqualTo(2);
			assertThat(executor.workers().get(0).restarts()).isEqualTo(2);
		}
		finally {
			executor.shutdown(Duration.ofSeconds(2));
		}
	}

	@Test
	void aTaskFailsWithWhatHappenedOnlyWhenNoWorkerStartsAfterSeveralTries() throws Exception {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		ProcessPoolExecutor executor = ProcessPoolExecutor.create(properties(),
				command(this.dir.resolve("starts"), Integer.MAX_VALUE), Workers::settings, new ProcessMetrics(registry),
				10);
		try {
			CompletableFuture<TaskOutcome> outcome = new CompletableFuture<>();
			executor.submit(new TaskSubmission(new TaskWork.Sum(1000), TaskControl.unstarted(Duration.ofSeconds(30)),
					Workers.completing(outcome)));

			assertThat(outcome.get(60, java.util.concurrent.TimeUnit.SECONDS))
				.isInstanceOfSatisfying(TaskOutcome.Failed.class, (failed) -> {
					assertThat(failed.code()).isEqualTo(dev.jobpool.task.TaskErrorCode.WORKER_LOST);
					assertThat(failed.message()).contains("never ran", "exited with status 7 during start-up");
				});
			assertThat(registry.get("jobpool.worker.restarts").tag("reason", "start_failed").counter().count())
				.isGreaterThan(1);
		}
		finally {
			executor.shutdown(Duration.ofSeconds(2));
		}
	}

	private static ProcessProperties properties() {
		return new ProcessProperties(1, 1, List.of(), 0, DataSize.ofMegabytes(512), false, Duration.ofSeconds(30),
				Duration.ofSeconds(2));
	}

	private static List<String> command(Path count, int fails) {
		List<String> command = new ArrayList<>(List.of("env", "COUNT=" + count, "FAILS=" + fails, "sh", "-c",
				DIE_FIRST_STARTS, "sh", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), WorkerMain.class.getName()));
		command.add("--parent-pid=" + ProcessHandle.current().pid());
		return command;
	}

}
