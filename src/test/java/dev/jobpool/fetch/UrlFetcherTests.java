package dev.jobpool.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests for {@link UrlFetcher} against a real HTTP server on the loopback interface,
 * which the settings allow.
 */
class UrlFetcherTests {

	private static final byte[] HELLO = "hello, jobpool\n".getBytes(StandardCharsets.UTF_8);

	private static final Duration LONG = Duration.ofSeconds(30);

	private final CountDownLatch release = new CountDownLatch(1);

	private final SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	private final ExecutorService serverThreads = Executors.newVirtualThreadPerTaskExecutor();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private HttpServer server;

	private URI base;

	private UrlFetcher fetcher;

	@BeforeEach
	void startServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
		this.server.setExecutor(this.serverThreads);
		this.server.createContext("/ok", (exchange) -> respond(exchange, 200, HELLO));
		this.server.createContext("/missing", (exchange) -> respond(exchange, 404, bytes("not here")));
		this.server.createContext("/broken", (exchange) -> respond(exchange, 500, bytes("oops")));
		this.server.createContext("/chain/1", (exchange) -> redirect(exchange, 302, "2"));
		this.server.createContext("/chain/2", (exchange) -> redirect(exchange, 301, "/ok"));
		this.server.createContext("/loop", (exchange) -> redirect(exchange, 307, "/loop"));
		this.server.createContext("/large", (exchange) -> {
			exchange.sendResponseHeaders(200, 0);
			byte[] chunk = new byte[64 * 1024];
			try (OutputStream body = exchange.getResponseBody()) {
				for (int sent = 0; sent < 11 * 1024 * 1024; sent += chunk.length) {
					body.write(chunk);
				}
			}
		});
		this.server.createContext("/stall-body", (exchange) -> {
			exchange.sendResponseHeaders(200, 0);
			OutputStream body = exchange.getResponseBody();
			body.write(HELLO);
			body.flush();
			awaitRelease();
			exchange.close();
		});
		this.server.createContext("/user-agent",
				(exchange) -> respond(exchange, 200, bytes(exchange.getRequestHeaders().getFirst("User-Agent"))));
		this.server.createContext("/stall-headers", (exchange) -> {
			awaitRelease();
			respond(exchange, 200, HELLO);
		});
		this.server.start();
		this.base = URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
		this.fetcher = new UrlFetcher(properties(LONG, 5), this.meterRegistry);
	}

	@AfterEach
	void stopServer() throws Exception {
		this.release.countDown();
		this.fetcher.close();
		this.scheduler.shutdownNow();
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
		this.server.stop(0);
		this.serverThreads.shutdownNow();
	}

	@Test
	void fetchReturnsStatusSizeHashAndTimings() throws Exception {
		FetchResult result = this.fetcher.fetch(url("/ok"), TaskControl.withTimeout(LONG));
		assertThat(result.status()).isEqualTo(200);
		assertThat(result.bytes()).isEqualTo(HELLO.length);
		assertThat(result.sha256()).isEqualTo(sha256(HELLO));
		assertThat(result.contentType()).isEqualTo("text/plain; charset=utf-8");
		assertThat(result.finalUrl()).isEqualTo(url("/ok").toString());
		assertThat(result.redirects()).isZero();
		assertThat(result.timeToFirstByteMs()).isPositive().isLessThanOrEqualTo(result.totalMs());
	}

	@Test
	void fetchReturnsClientAndServerErrorsAsResults() throws Exception {
		FetchResult missing = this.fetcher.fetch(url("/missing"), TaskControl.withTimeout(LONG));
		FetchResult broken = this.fetcher.fetch(url("/broken"), TaskControl.withTimeout(LONG));
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.bytes()).isEqualTo(8);
		assertThat(missing.sha256()).isEqualTo(sha256(bytes("not here")));
		assertThat(broken.status()).isEqualTo(500);
	}

	@Test
	void fetchSendsConfiguredUserAgent() throws Exception {
		FetchResult result = this.fetcher.fetch(url("/user-agent"), TaskControl.withTimeout(LONG));
		assertThat(result.sha256()).isEqualTo(sha256(bytes("jobpool-test")));
	}

	@Test
	void fetchFollowsRelativeRedirects() throws Exception {
		FetchResult result = this.fetcher.fetch(url("/chain/1"), TaskControl.withTimeout(LONG));
		assertThat(result.status()).isEqualTo(200);
		assertThat(result.redirects()).isEqualTo(2);
		assertThat(result.finalUrl()).isEqualTo(url("/ok").toString());
		assertThat(result.sha256()).isEqualTo(sha256(HELLO));
	}

	@Test
	void fetchFailsOnRedirectLoop() {
		TaskFailedException failure = failure(() -> this.fetcher.fetch(url("/loop"), TaskControl.withTimeout(LONG)));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.TOO_MANY_REDIRECTS);
		assertThat(failure.getMessage()).isEqualTo("more than 5 redirects");
	}

	@Test
	void fetchFailsWhenRedirectsPassTheLimit() {
		this.fetcher.close();
		this.fetcher = new UrlFetcher(properties(LONG, 1), this.meterRegistry);
		TaskFailedException failure = failure(() -> this.fetcher.fetch(url("/chain/1"), TaskControl.withTimeout(LONG)));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.TOO_MANY_REDIRECTS);
	}

	@Test
	void fetchFailsWhenChunkedBodyPassesTheLimit() {
		TaskFailedException failure = failure(() -> this.fetcher.fetch(url("/large"), TaskControl.withTimeout(LONG)));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.TOO_LARGE);
		assertThat(failure.getMessage()).contains(String.valueOf(DataSize.ofMegabytes(10).toBytes()));
	}

	@Test
	void fetchFailsWhenConnectionClosesBeforeContentLength() throws Exception {
		URI url = rawServer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", true);
		TaskFailedException failure = failure(() -> this.fetcher.fetch(url, TaskControl.withTimeout(LONG)));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.IO);
		assertThat(failure.getMessage()).isEqualTo("connection closed before the body ended (read 5 of 10 bytes)");
	}

	@Test
	void fetchReadsNoMoreThanContentLength() throws Exception {
		URI url = rawServer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\n0123456789abcdefghij",
				true);
		FetchResult result = this.fetcher.fetch(url, TaskControl.withTimeout(LONG));
		assertThat(result.bytes()).isEqualTo(10);
		assertThat(result.sha256()).isEqualTo(sha256(bytes("0123456789")));
	}

	@Test
	void fetchStopsAtDeadlineWhenBodyStalls() {
		TaskControl control = TaskControl.withTimeout(Duration.ofMillis(300));
		this.scheduler.schedule(() -> control.abort(AbortReason.TIMEOUT), 300, TimeUnit.MILLISECONDS);
		long start = System.nanoTime();
		TaskFailedException failure = failure(() -> this.fetcher.fetch(url("/stall-body"), control));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.TIMEOUT);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void fetchStopsWhenCancelledWhileBodyStalls() {
		TaskControl control = TaskControl.withTimeout(LONG);
		this.scheduler.schedule(() -> control.abort(AbortReason.CANCELLED), 300, TimeUnit.MILLISECONDS);
		long start = System.nanoTime();
		TaskFailedException failure = failure(() -> this.fetcher.fetch(url("/stall-body"), control));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.CANCELLED);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void fetchStopsWhenAbortedWhileWaitingForHeaders() {
		// The read timeout is far away: only the abort can end this fetch early.
		TaskControl control = TaskControl.withTimeout(LONG);
		this.scheduler.schedule(() -> control.abort(AbortReason.TIMEOUT), 300, TimeUnit.MILLISECONDS);
		long start = System.nanoTime();
		TaskFailedException failure = failure(() -> this.fetcher.fetch(url("/stall-headers"), control));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.TIMEOUT);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void fetchFailsWhenServerIsSilentPastReadTimeout() {
		this.fetcher.close();
		this.fetcher = new UrlFetcher(properties(Duration.ofMillis(200), 5), this.meterRegistry);
		TaskFailedException failure = failure(
				() -> this.fetcher.fetch(url("/stall-body"), TaskControl.withTimeout(LONG)));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.TIMEOUT);
		assertThat(failure.getMessage()).startsWith("no data from 127.0.0.1:").endsWith("(read 15 bytes)");
	}

	@Test
	void abortAfterFetchLeavesPooledConnectionUsable() throws Exception {
		TaskControl control = TaskControl.withTimeout(LONG);
		this.fetcher.fetch(url("/ok"), control);
		control.abort(AbortReason.CANCELLED);
		FetchResult result = this.fetcher.fetch(url("/ok"), TaskControl.withTimeout(LONG));
		assertThat(result.status()).isEqualTo(200);
	}

	@Test
	void fetchFailsBeforeStartingWhenAlreadyAborted() {
		TaskControl control = TaskControl.withTimeout(LONG);
		control.abort(AbortReason.CANCELLED);
		TaskFailedException failure = failure(() -> this.fetcher.fetch(url("/ok"), control));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.CANCELLED);
	}

	@Test
	void fetchFailsWhenConnectionIsRefused() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			port = socket.getLocalPort();
		}
		URI url = URI.create("http://127.0.0.1:" + port + "/");
		TaskFailedException failure = failure(() -> this.fetcher.fetch(url, TaskControl.withTimeout(LONG)));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.CONNECT);
		assertThat(failure.getMessage()).isEqualTo("connection refused to 127.0.0.1:" + port);
	}

	@Test
	void fetchFailsWhenHostDoesNotResolve() {
		URI url = URI.create("http://no-such-host.invalid/");
		TaskFailedException failure = failure(() -> this.fetcher.fetch(url, TaskControl.withTimeout(LONG)));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.DNS);
		assertThat(failure.getMessage()).isEqualTo("could not resolve host no-such-host.invalid");
	}

	@Test
	void fetchFailsWhenServerDoesNotSpeakTls() throws Exception {
		URI url = rawServer("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", false);
		URI httpsUrl = URI.create("https://127.0.0.1:" + url.getPort() + "/");
		TaskFailedException failure = failure(() -> this.fetcher.fetch(httpsUrl, TaskControl.withTimeout(LONG)));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.TLS);
		assertThat(failure.getMessage()).startsWith("TLS with 127.0.0.1:" + url.getPort() + " failed: ");
	}

	@Test
	void fetchFailsWhenTlsHandshakeGetsNoAnswer() {
		// The HTTP server waits for the end of a request line that a TLS client hello
		// never sends.
		this.fetcher.close();
		this.fetcher = new UrlFetcher(TestFetchProperties.defaults()
			.allowedHosts("127.0.0.1")
			.connectTimeout(Duration.ofMillis(300))
			.readTimeout(LONG)
			.build(), this.meterRegistry);
		URI url = URI.create("https://127.0.0.1:" + this.base.getPort() + "/ok");
		TaskFailedException failure = failure(() -> this.fetcher.fetch(url, TaskControl.withTimeout(LONG)));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.TLS);
		assertThat(failure.getMessage())
			.isEqualTo("TLS handshake with 127.0.0.1:" + this.base.getPort() + " timed out");
	}

	@Test
	void fetchRefusesOtherSchemes() {
		URI url = URI.create("ftp://127.0.0.1/file");
		TaskFailedException failure = failure(() -> this.fetcher.fetch(url, TaskControl.withTimeout(LONG)));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.BLOCKED);
	}

	@Test
	void fetchCountsOutcomesAndBytes() throws Exception {
		assertThat(responses("2xx")).isZero();
		assertThat(responses("error")).isZero();
		assertThat(this.meterRegistry.get(FetchMetrics.BYTES).counter().count()).isZero();
		this.fetcher.fetch(url("/ok"), TaskControl.withTimeout(LONG));
		this.fetcher.fetch(url("/chain/1"), TaskControl.withTimeout(LONG));
		this.fetcher.fetch(url("/missing"), TaskControl.withTimeout(LONG));
		failure(() -> this.fetcher.fetch(url("/loop"), TaskControl.withTimeout(LONG)));
		assertThat(responses("2xx")).isEqualTo(2);
		assertThat(responses("3xx")).isZero();
		assertThat(responses("4xx")).isEqualTo(1);
		assertThat(responses("5xx")).isZero();
		assertThat(responses("error")).isEqualTo(1);
		assertThat(this.meterRegistry.get(FetchMetrics.BYTES).counter().count()).isEqualTo(2 * HELLO.length + 8);
	}

	@Test
	void fetchServesManyConcurrentCallers() throws Exception {
		try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<FetchResult>> results = new ArrayList<>();
			for (int i = 0; i < 500; i++) {
				results.add(callers.submit(() -> this.fetcher.fetch(url("/ok"), TaskControl.withTimeout(LONG))));
			}
			for (Future<FetchResult> result : results) {
				assertThat(result.get().sha256()).isEqualTo(sha256(HELLO));
			}
		}
		assertThat(responses("2xx")).isEqualTo(500);
	}

	private double responses(String statusClass) {
		return this.meterRegistry.get(FetchMetrics.RESPONSES)
			.tag(FetchMetrics.STATUS_CLASS, statusClass)
			.counter()
			.count();
	}

	private URI url(String path) {
		return this.base.resolve(path);
	}

	private static FetchProperties properties(Duration readTimeout, int maxRedirects) {
		// The server listens on loopback, which the fetcher refuses unless allowed.
		return TestFetchProperties.defaults()
			.allowedHosts("127.0.0.1")
			.readTimeout(readTimeout)
			.maxRedirects(maxRedirects)
			.build();
	}

	/**
	 * Start a bare TCP server that answers every connection with {@code response} and
	 * closes it, for responses that a real HTTP server refuses to send.
	 */
	private URI rawServer(String response, boolean readRequest) throws IOException {
		ServerSocket serverSocket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
		this.closeables.add(serverSocket);
		Thread.ofVirtual().start(() -> {
			while (!serverSocket.isClosed()) {
				try (Socket socket = serverSocket.accept()) {
					if (readRequest) {
						readRequestHead(socket.getInputStream());
					}
					socket.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
					socket.getOutputStream().flush();
				}
				catch (IOException ex) {
					// Closed by the test, or the client went away.
				}
			}
		});
		return URI.create("http://127.0.0.1:" + serverSocket.getLocalPort() + "/");
	}

	private static void readRequestHead(InputStream in) throws IOException {
		int matched = 0;
		byte[] end = { '\r', '\n', '\r', '\n' };
		int next;
		while (matched < end.length && (next = in.read()) != -1) {
			matched = (next == end[matched]) ? matched + 1 : ((next == '\r') ? 1 : 0);
		}
	}

	private void awaitRelease() {
		try {
			this.release.await(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	private static void redirect(HttpExchange exchange, int status, String location) throws IOException {
		exchange.getResponseHeaders().set("Location", location);
		respond(exchange, status, bytes("moved"));
	}

	private static TaskFailedException failure(ThrowingCallable call) {
		return catchThrowableOfType(TaskFailedException.class, call);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String sha256(byte[] data) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
	}

}
