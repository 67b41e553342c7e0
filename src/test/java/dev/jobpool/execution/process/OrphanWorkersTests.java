package dev.jobpool.execution.process;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker stopped with SIGSTOP when its service is killed outlives the service; the next
 * service to start kills it, and leaves the workers of live services alone.
 */
class OrphanWorkersTests {

	@Test
	void aStoppedWorkerWhoseServiceWasKilledIsReapedAndALiveServicesWorkerIsNot() throws Exception {
		Process service = new ProcessBuilder("sleep", "600").start();
		Process orphan = worker(service.pid());
		Process sibling = worker(ProcessHandle.current().pid());
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> readyOrDead(orphan) && readyOrDead(sibling));
			Workers.signal("STOP", orphan.pid());
			Workers.signal("STOP", sibling.pid());
			service.destroyForcibly().waitFor();
			// Stopped, it cannot see its service go: it stays.
			assertThat(orphan.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)).isFalse();

			List<Long> reaped = OrphanWorkers.reap();

			assertThat(reaped).contains(orphan.pid()).doesNotContain(sibling.pid());
			await().atMost(Duration.ofSeconds(10)).until(() -> !orphan.isAlive());
			assertThat(sibling.isAlive()).isTrue();
		}
		finally {
			service.destroyForcibly();
			orphan.destroyForcibly();
			sibling.destroyForcibly();
		}
	}

	private static Process worker(long parentPid) throws Exception {
		return Workers.start(parentPid, Workers.settings());
	}

	/** Whether the worker said it is ready (or died, which the test then reports). */
	private static boolean readyOrDead(Process worker) throws Exception {
		return worker.getInputStream().available() >= 4 || !worker.isAlive();
	}

}
