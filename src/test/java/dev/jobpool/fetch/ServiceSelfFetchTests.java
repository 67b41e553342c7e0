package dev.jobpool.fetch;

import java.net.URI;
import java.time.Duration;

import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskFailedException;
import dev.jobpool.work.WorkerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.LoopbackExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The service's own port is never a fetch target, though the test settings allow
 * 127.0.0.1: the fetcher learns the port when the web server starts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServiceSelfFetchTests {

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	@Autowired
	private UrlFetcher fetcher;

	@Autowired
	private ServicePorts servicePorts;

	@Autowired
	private WorkerSettings.Source workerSettings;

	@Autowired
	private MeterRegistry meterRegistry;

	@Test
	void refusesToFetchTheServiceItself() {
		double before = blocked("self");
		for (String host : new String[] { "127.0.0.1", "localhost", "2130706433", "[::ffff:127.0.0.1]" }) {
			URI url = URI.create("http://" + host + ":" + loopback.port() + "/actuator/health");
			TaskFailedException failure = catchThrowableOfType(TaskFailedException.class,
					() -> this.fetcher.fetch(url, TaskControl.withTimeout(Duration.ofSeconds(30))));
			assertThat(failure).as(host).isNotNull();
			assertThat(failure.code()).as(host).isEqualTo(TaskErrorCode.BLOCKED);
			assertThat(failure.getMessage()).as(host).contains("is this service itself");
		}
		assertThat(blocked("self")).isEqualTo(before + 4);
	}

	@Test
	void knowsThePortForWorkerProcesses() {
		assertThat(this.servicePorts.ports()).contains(loopback.port());
		assertThat(this.workerSettings.current().fetch().servicePorts()).contains(loopback.port());
	}

	private double blocked(String reason) {
		return this.meterRegistry.get(FetchMetrics.BLOCKED).tag(FetchMetrics.REASON, reason).counter().count();
	}

}
