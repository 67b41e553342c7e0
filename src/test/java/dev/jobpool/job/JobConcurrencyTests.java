package dev.jobpool.job;

import org.junit.jupiter.api.Test;

import dev.jobpool.execution.ExecutorKind;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How many of a job's tasks run at once, and the reason the job shows for it, on one
 * replica and on several.
 */
class JobConcurrencyTests {

	@Test
	void oneReplicaRunsAtMostItsExecutorsWorkers() {
		JobConcurrency concurrency = JobConcurrency.of(ExecutorKind.PROCESS, 2, null, 10, 10);

		assertThat(concurrency.effective()).isEqualTo(2);
		assertThat(concurrency.reason()).isEqualTo("process runs at most 2 tasks at once (2 workers)");
	}

	@Test
	void severalReplicasAddTheirWorkersAndSaySo() {
		JobConcurrency concurrency = JobConcurrency.of(ExecutorKind.PROCESS, 6, 3, null, 10, 10);

		assertThat(concurrency.effective()).isEqualTo(6);
		assertThat(concurrency.reason())
			.isEqualTo("process runs at most 6 tasks at once (2 workers on each of 3 replicas)");
	}

	@Test
	void aRequestAboveTheClustersWorkersIsCapped() {
		JobConcurrency concurrency = JobConcurrency.of(ExecutorKind.PLATFORM, 4, 2, 10, 10, 10);

		assertThat(concurrency.effective()).isEqualTo(4);
		assertThat(concurrency.requested()).isEqualTo(10);
		assertThat(concurrency.reason()).endsWith("(2 workers on each of 2 replicas), fewer than the 10 asked for");
	}

	@Test
	void aJobNeverRunsMoreAtOnceThanItHasPiecesOfWork() {
		JobConcurrency concurrency = JobConcurrency.of(ExecutorKind.VIRTUAL, 30_000, 3, null, 2, 2);

		assertThat(concurrency.effective()).isEqualTo(2);
		assertThat(concurrency.reason()).isEqualTo("capped at the job's 2 tasks");
	}

}
