package dev.jobpool.execution.process;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import dev.jobpool.task.FetchResult;
import dev.jobpool.task.TaskWork;
import dev.jobpool.work.WorkerSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real worker process fetches with the settings the service gives it, not with defaults
 * of its own.
 */
class WorkerFetchSettingsTests {

	@Test
	void aWorkerFetchesWithTheUserAgentOfTheSettingsItWasGiven() throws Exception {
		AtomicReference<String> userAgent = new AtomicReference<>();
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/", (exchange) -> {
			userAgent.set(exchange.getRequestHeaders().getFirst("User-Agent"));
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		server.start();
		WorkerSettings settings = Workers.settings("user-agent", "jobpool-worker-test/3 (settings)", "allowed-hosts",
				"127.0.0.1", "max-connections", "50000");
		ProcessProperties properties = new ProcessProperties(1, 1, List.of("-Xmx64m"), 0, DataSize.ofMegabytes(512),
				false, Duration.ofSeconds(30), Duration.ofSeconds(2));
		WorkerProcess worker = WorkerProcess.start(WorkerCommand.build(properties), settings, Duration.ofSeconds(30));
		try {
			URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
			WorkerProtocol.Response response = worker
				.run(new WorkerProtocol.Request(new TaskWork.Fetch(url), Duration.ofSeconds(20).toNanos()));

			assertThat(response.result()).isInstanceOfSatisfying(FetchResult.class,
					(result) -> assertThat(result.status()).isEqualTo(204));
			assertThat(userAgent.get()).isEqualTo(settings.fetch().userAgent());
		}
		finally {
			worker.stop(Duration.ofSeconds(2));
			server.stop(0);
		}
	}

}
