package dev.jobpool.fetch;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.jobpool.task.FetchResult;
import dev.jobpool.task.TaskControl.AbortReason;
import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskFailedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the caps on requests in flight of {@link UrlFetcher}, per host and in all, as
 * the servers see them.
 */
class UrlFetcherLimitsTests {

	private static final Duration LONG = Duration.ofSeconds(30);

	private final SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private RecordingServer server;

	@BeforeEach
	void startServer() throws IOException {
		this.server = server("127.0.0.1");
	}

	@AfterEach
	void stopServers() throws Exception {
		this.scheduler.shutdownNow();
		for (AutoCloseable closeable : this.closeables.reversed()) {
			closeable.close();
		}
		this.callers.shutdownNow();
	}

	@Test
	void serverNeverSeesMoreThanTheCapPerHost() throws Exception {
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults().allowedHosts("127.0.0.1").maxPerHost(3));
		List<Future<FetchResult>> results = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			results.add(this.callers.submit(() -> fetcher.fetch(this.server.url("/held"), task(LONG))));
		}
		// Three requests are held by the server; no fourth may arrive while they are.
		await().atMost(Duration.ofSeconds(20)).until(() -> this.server.inFlight() == 3);
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> this.server.inFlight() == 3);
		this.server.release();
		for (Future<FetchResult> result : results) {
			assertThat(result.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
		}
		assertThat(this.server.requests()).isEqualTo(20);
		assertThat(this.server.maxInFlight()).isEqualTo(3);
	}

	@Test
	void serversNeverSeeMoreThanTheCapInAll() throws Exception {
		RecordingServer other = server("127.0.0.2");
		UrlFetcher fetcher = fetcher(
				TestFetchProperties.defaults().allowedHosts("127.0.0.1", "127.0.0.2").maxPerHost(10).maxInFlight(4));
		List<Future<FetchResult>> results = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			RecordingServer target = (i % 2 == 0) ? this.server : other;
			results.add(this.callers.submit(() -> fetcher.fetch(target.url("/held"), task(LONG))));
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> this.server.inFlight() + other.inFlight() == 4);
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.server.inFlight() + other.inFlight() == 4);
		this.server.release();
		other.release();
		for (Future<FetchResult> result : results) {
			assertThat(result.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
		}
		assertThat(this.server.requests() + other.requests()).isEqualTo(10);
	}

	@Test
	void waitForAPermitEndsAtTheDeadline() throws Exception {
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults().allowedHosts("127.0.0.1").maxPerHost(1));
		Future<FetchResult> holder = this.callers.submit(() -> fetcher.fetch(this.server.url("/held"), task(LONG)));
		await().atMost(Duration.ofSeconds(20)).until(() -> this.server.inFlight() == 1);
		long start = System.nanoTime();
		TaskFailedException failure = failure(
				() -> fetcher.fetch(this.server.url("/ok"), task(Duration.ofMillis(300))));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.TIMEOUT);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		assertThat(aborted("timeout")).isOne();
		this.server.release();
		assertThat(holder.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
		assertThat(fetcher.fetch(this.server.url("/ok"), task(LONG)).status()).isEqualTo(200);
		assertThat(this.server.requests()).isEqualTo(2);
	}

	@Test
	void waitForAPermitEndsWhenTheTaskIsCancelled() throws Exception {
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults().allowedHosts("127.0.0.1").maxPerHost(1));
		this.callers.submit(() -> fetcher.fetch(this.server.url("/held"), task(LONG)));
		await().atMost(Duration.ofSeconds(20)).until(() -> this.server.inFlight() == 1);
		TaskControl control = task(LONG);
		this.scheduler.schedule(() -> control.abort(AbortReason.CANCELLED), 200, TimeUnit.MILLISECONDS);
		long start = System.nanoTime();
		TaskFailedException failure = failure(() -> fetcher.fetch(this.server.url("/ok"), control));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.CANCELLED);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		assertThat(this.server.requests()).isOne();
	}

	@Test
	void countsFetchesCutOffBySize() throws Exception {
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults().allowedHosts("127.0.0.1"));
		assertThat(aborted("too_large")).isZero();
		TaskFailedException failure = failure(() -> fetcher.fetch(this.server.url("/large"), task(LONG)));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.TOO_LARGE);
		assertThat(aborted("too_large")).isOne();
	}

	@Test
	void permitsForgetHostsNoRequestHolds() throws Exception {
		FetchPermits permits = new FetchPermits(2, 100);
		List<FetchPermits.Lease> leases = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			leases.add(permits.acquire("host-" + i + ".test:80", task(LONG)));
		}
		assertThat(permits.trackedHosts()).isEqualTo(50);
		leases.forEach(FetchPermits.Lease::close);
		assertThat(permits.trackedHosts()).isZero();
		try (FetchPermits.Lease _ = permits.acquire("a.test:80", task(LONG));
				FetchPermits.Lease _ = permits.acquire("a.test:80", task(LONG))) {
			TaskFailedException failure = failure(() -> permits.acquire("a.test:80", task(Duration.ofMillis(100))));
			assertThat(failure.code()).isEqualTo(TaskErrorCode.TIMEOUT);
			assertThat(permits.trackedHosts()).isOne();
		}
		assertThat(permits.trackedHosts()).isZero();
	}

	private double aborted(String reason) {
		return this.meterRegistry.get(FetchMetrics.ABORTED).tag(FetchMetrics.REASON, reason).counter().count();
	}

	private UrlFetcher fetcher(TestFetchProperties properties) {
		UrlFetcher fetcher = new UrlFetcher(properties.build(), this.meterRegistry);
		this.closeables.add(fetcher);
		return fetcher;
	}

	private RecordingServer server(String address) throws IOException {
		RecordingServer server = RecordingServer.http(address);
		this.closeables.add(server);
		return server;
	}

	private static TaskControl task(Duration timeout) {
		return TaskControl.withTimeout(timeout);
	}

	private static TaskFailedException failure(ThrowingCallable call) {
		return catchThrowableOfType(TaskFailedException.class, call);
	}

}
