package dev.jobpool.fetch;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.jobpool.task.FetchResult;
import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskFailedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for the request forgery guard of {@link UrlFetcher}, against real servers on
 * loopback addresses that count the requests they get: a refused fetch must not reach
 * them at all.
 */
class UrlFetcherGuardTests {

	private static final Duration LONG = Duration.ofSeconds(30);

	private static final String PASSWORD = "jobpool-test";

	@TempDir
	static Path keys;

	private static SSLContext sslContext;

	private final SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();

	private final AtomicInteger lookups = new AtomicInteger();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private RecordingServer loopback;

	@BeforeAll
	static void createCertificate() throws Exception {
		// A self-signed certificate for 127.0.0.1, made with the JDK's keytool.
		Path keyStore = keys.resolve("server.p12");
		Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
				"-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
				"-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
				"-storepass", PASSWORD, "-keypass", PASSWORD)
			.redirectErrorStream(true)
			.redirectOutput(keys.resolve("keytool.log").toFile())
			.start();
		assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(keytool.exitValue()).as(Files.readString(keys.resolve("keytool.log"))).isZero();
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = new FileInputStream(keyStore.toFile())) {
			store.load(in, PASSWORD.toCharArray());
		}
		KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keyManagers.init(store, PASSWORD.toCharArray());
		TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(store);
		sslContext = SSLContext.getInstance("TLS");
		sslContext.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
	}

	@BeforeEach
	void startServer() throws IOException {
		this.loopback = server(RecordingServer.http("127.0.0.1"));
	}

	@AfterEach
	void stopServers() throws Exception {
		for (AutoCloseable closeable : this.closeables.reversed()) {
			closeable.close();
		}
	}

	@Test
	void refusesLoopbackByDefault() {
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults());
		TaskFailedException failure = failure(() -> fetcher.fetch(this.loopback.url("/ok"), task()));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.BLOCKED);
		assertThat(failure.getMessage())
			.isEqualTo("127.0.0.1 is in a blocked range (loopback 127.0.0.0/8); to allow it,"
					+ " add 127.0.0.1 to jobpool.fetch.allowed-hosts (JOBPOOL_FETCH_ALLOWED_HOSTS)");
		assertThat(this.loopback.requests()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "2130706433", "0x7f.1", "017700000001", "[::ffff:127.0.0.1]", "localhost", "127.1",
			"127.0.0.1.", "0X7F.0.0.1", "[::1]", "[::127.0.0.1]" })
	void refusesEverySpellingOfLoopback(String host) {
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults());
		URI url = URI.create("http://" + host + ":" + this.loopback.port() + "/ok");
		TaskFailedException failure = failure(() -> fetcher.fetch(url, task()));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.BLOCKED);
		assertThat(this.loopback.requests()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "2130706433", "0x7f.1", "017700000001", "[::ffff:127.0.0.1]", "127.1", "127.0.0.1." })
	void fetchesOddSpellingsOfAnAllowedAddressFromThatAddress(String host) throws Exception {
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults().allowedHosts("127.0.0.1"));
		URI url = URI.create("http://" + host + ":" + this.loopback.port() + "/ok?q=1");
		FetchResult result = fetcher.fetch(url, task());
		assertThat(result.status()).isEqualTo(200);
		assertThat(result.finalUrl()).isEqualTo(url.toString());
		assertThat(this.loopback.requests()).isOne();
	}

	@Test
	void refusesHostWhoseSecondAnswerIsLoopbackAfterOneLookup() {
		HostLookup rebinding = (host) -> {
			this.lookups.incrementAndGet();
			return new InetAddress[] { InetAddress.getByName("93.184.216.34"), InetAddress.getByName("127.0.0.1") };
		};
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults(), rebinding);
		URI url = URI.create("http://rebind.test:" + this.loopback.port() + "/ok");
		TaskFailedException failure = failure(() -> fetcher.fetch(url, task()));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.BLOCKED);
		assertThat(failure.getMessage()).contains("rebind.test resolves to 127.0.0.1");
		assertThat(this.lookups).hasValue(1);
		assertThat(this.loopback.requests()).isZero();
		assertThat(blocked("private_address")).isOne();
	}

	@Test
	void connectsToTheAddressTheLookupAnswered() throws Exception {
		HostLookup lookup = (host) -> {
			this.lookups.incrementAndGet();
			return new InetAddress[] { InetAddress.getByName("127.0.0.1") };
		};
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults().allowedHosts("named.test"), lookup);
		FetchResult result = fetcher.fetch(URI.create("http://named.test:" + this.loopback.port() + "/ok"), task());
		assertThat(result.status()).isEqualTo(200);
		assertThat(this.lookups).hasValue(1);
		assertThat(this.loopback.requests()).isOne();
	}

	@Test
	void refusesRedirectFromAllowedHostToBlockedOne() throws Exception {
		RecordingServer allowed = server(RecordingServer.http("127.0.0.2"));
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults().allowedHosts("127.0.0.2"));
		assertThat(fetcher.fetch(allowed.url("/ok"), task()).status()).isEqualTo(200);
		URI url = allowed.url("/redirect?to=" + this.loopback.url("/ok"));
		TaskFailedException failure = failure(() -> fetcher.fetch(url, task()));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.BLOCKED);
		assertThat(failure.getMessage()).contains("127.0.0.1").contains("loopback");
		assertThat(allowed.requests()).isEqualTo(2);
		assertThat(this.loopback.requests()).isZero();
	}

	@Test
	void refusesRedirectToTheServiceItself() throws Exception {
		RecordingServer service = server(RecordingServer.http("127.0.0.1"));
		UrlFetcher fetcher = fetcher(
				TestFetchProperties.defaults().allowedHosts("127.0.0.1").servicePorts(service.port()));
		URI url = this.loopback.url("/redirect?to=http://localhost:" + service.port() + "/ok");
		TaskFailedException failure = failure(() -> fetcher.fetch(url, task()));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.BLOCKED);
		assertThat(failure.getMessage()).startsWith("localhost:" + service.port() + " is this service itself (");
		assertThat(this.loopback.requests()).isOne();
		assertThat(service.requests()).isZero();
		assertThat(blocked("self")).isOne();
	}

	@Test
	void refusesTheServiceItselfEvenWithPrivateNetworksOpen() {
		UrlFetcher fetcher = fetcher(
				TestFetchProperties.defaults().blockPrivateNetworks(false).servicePorts(this.loopback.port()));
		TaskFailedException failure = failure(() -> fetcher.fetch(this.loopback.url("/ok"), task()));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.BLOCKED);
		assertThat(this.loopback.requests()).isZero();
	}

	@Test
	void refusesRedirectFromHttpsToHttp() throws Exception {
		RecordingServer secure = server(RecordingServer.https("127.0.0.1", sslContext));
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults().allowedHosts("127.0.0.1"));
		assertThat(fetcher.fetch(secure.url("/ok"), task()).status()).isEqualTo(200);
		URI url = secure.url("/redirect?to=" + this.loopback.url("/ok"));
		TaskFailedException failure = failure(() -> fetcher.fetch(url, task()));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.BLOCKED);
		assertThat(failure.getMessage()).isEqualTo("redirect from https to http refused: " + this.loopback.url("/ok"));
		assertThat(secure.requests()).isEqualTo(2);
		assertThat(this.loopback.requests()).isZero();
		assertThat(blocked("downgrade")).isOne();
	}

	@Test
	void followsRedirectFromHttpsToHttps() throws Exception {
		RecordingServer secure = server(RecordingServer.https("127.0.0.1", sslContext));
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults().allowedHosts("127.0.0.1"));
		FetchResult result = fetcher.fetch(secure.url("/redirect?to=" + secure.url("/ok")), task());
		assertThat(result.status()).isEqualTo(200);
		assertThat(result.redirects()).isOne();
	}

	@ParameterizedTest
	@ValueSource(strings = { "ftp://127.0.0.1/file", "file:///etc/passwd", "gopher://127.0.0.1:70/", "jar:file:/x!/y" })
	void refusesOtherSchemesWithoutIo(String url) {
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults().allowedHosts("127.0.0.1"));
		TaskFailedException failure = failure(() -> fetcher.fetch(URI.create(url), task()));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.BLOCKED);
		assertThat(failure.getMessage()).startsWith("scheme not allowed: ");
		assertThat(blocked("scheme")).isOne();
	}

	@Test
	void refusesRedirectToOtherScheme() throws Exception {
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults().allowedHosts("127.0.0.1"));
		TaskFailedException failure = failure(
				() -> fetcher.fetch(this.loopback.url("/redirect?to=file:///etc/passwd"), task()));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.BLOCKED);
		assertThat(failure.getMessage()).isEqualTo("scheme not allowed: file (only http and https)");
	}

	@Test
	void refusesInvalidHosts() {
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults().allowedHosts("127.0.0.1"));
		TaskFailedException failure = failure(
				() -> fetcher.fetch(URI.create("http://256.0.0.1:" + this.loopback.port() + "/"), task()));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.BLOCKED);
		assertThat(blocked("invalid_host")).isOne();
	}

	@Test
	void judgesARedirectToAnIpv4MappedLiteralByTheAddressItCarries() throws Exception {
		RecordingServer second = server(RecordingServer.http("127.0.0.2"));
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults().allowedHosts("127.0.0.1"));
		URI url = this.loopback.url("/redirect?to=http://[::ffff:127.0.0.2]:" + second.port() + "/ok");
		TaskFailedException failure = failure(() -> fetcher.fetch(url, task()));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.BLOCKED);
		assertThat(failure.getMessage()).startsWith("127.0.0.2 is in a blocked range (loopback 127.0.0.0/8)");
		assertThat(blocked("private_address")).isOne();
		assertThat(blocked("invalid_host")).isZero();
		assertThat(this.loopback.requests()).isOne();
		assertThat(second.requests()).isZero();
	}

	@Test
	void followsRedirectsToAndFromAnAllowedIpv4MappedLiteral() throws Exception {
		RecordingServer second = server(RecordingServer.http("127.0.0.2"));
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults().allowedHosts("127.0.0.1", "127.0.0.2"));
		String mapped = "http://[::ffff:127.0.0.2]:" + second.port();
		// The second hop answers a relative redirect, resolved against the mapped
		// literal.
		URI url = this.loopback.url("/redirect?to=" + mapped + "/redirect?to=/ok");
		FetchResult result = fetcher.fetch(url, task());
		assertThat(result.status()).isEqualTo(200);
		assertThat(result.redirects()).isEqualTo(2);
		assertThat(result.finalUrl()).isEqualTo(mapped + "/ok");
		assertThat(second.requests()).isEqualTo(2);
	}

	@Test
	void followsRedirectToAnAllowedIpv6Loopback() throws Exception {
		RecordingServer ipv6;
		try {
			ipv6 = server(RecordingServer.http("::1"));
		}
		catch (IOException ex) {
			assumeTrue(false, "::1 is not bound on this machine: " + ex);
			return;
		}
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults().allowedHosts("127.0.0.1", "::1"));
		String target = "http://[::1]:" + ipv6.port() + "/ok?q=1";
		URI url = this.loopback.url("/redirect?to=" + target);
		FetchResult result = fetcher.fetch(url, task());
		assertThat(result.status()).isEqualTo(200);
		assertThat(result.finalUrl()).isEqualTo(target);
		assertThat(ipv6.requests()).isOne();
		TaskFailedException failure = failure(
				() -> fetcher(TestFetchProperties.defaults().allowedHosts("127.0.0.1")).fetch(url, task()));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.BLOCKED);
		assertThat(failure.getMessage()).contains("is in a blocked range (loopback");
		assertThat(ipv6.requests()).isOne();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:65536/", "http://127.0.0.1:0/", "http://[::1]:99999/",
			"http://127.0.0.1:2147483648/", "http://[::1%25nosuchzone]:PORT/ok", "http://[fe80::1%25eth0]:PORT/ok",
			"http://[v1.x]/", "http://a..b/", "http://-/", "http://127.0.0.1:PORT:PORT/", "http://[::1/",
			"http://user:secret@127.0.0.1:PORT/ok", "http://:secret@127.0.0.1:PORT/ok",
			"http://user:secret@[::1]:PORT/ok", "http://user:secret@0x7f.1:PORT/ok", "http://user:secret@[::1/",
			"http://user:secret@exa mple.com/" })
	void refusesOddUrlsWithATaskErrorNeverInternal(String template) throws Exception {
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults().allowedHosts("127.0.0.1"));
		String text = template.replace("PORT", String.valueOf(this.loopback.port()));
		List<URI> urls = new ArrayList<>();
		urls.add(this.loopback.url("/redirect?to=" + text.replace(" ", "%20")));
		try {
			urls.add(new URI(text));
		}
		catch (URISyntaxException ex) {
			// Only a server's Location header can carry it.
		}
		for (URI url : urls) {
			Throwable thrown = catchThrowable(() -> fetcher.fetch(url, task()));
			assertThat(thrown).as(url.toString()).isInstanceOf(TaskFailedException.class);
			TaskFailedException failure = (TaskFailedException) thrown;
			assertThat(failure.code()).as(url.toString()).isNotEqualTo(TaskErrorCode.INTERNAL);
			// The redirecting URL carries the secret in its query, which is no secret.
			assertThat(failure.getMessage().replace(url.toString(), "")).as(url.toString()).doesNotContain("secret");
			for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
				assertThat(String.valueOf(cause.getMessage()).replace(url.toString(), "")).as(url.toString())
					.doesNotContain("secret");
			}
		}
		assertThat(this.loopback.requests()).isOne();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:PORT/ü?q=ü", "http://127.0.0.1:PORT/a%00b?%7A=1#x",
			"http://bücher.test:PORT/", "http://xn--bcher-kva.test:PORT/", "http://a_b.test:PORT/",
			"http://LONG_LABEL.test:PORT/", "http://MANY_LABELStest:PORT/", "http://named.test.:PORT/ok",
			"HTTP://NAMED.TEST:PORT/ok", "http://named.test:PORT", "http://named.test:/ok", "http://[::]:PORT/",
			"http://0.0.0.0:PORT/", "http://[::ffff:0:0]:PORT/" })
	void neverFailsInternallyWhateverTheUrl(String template) throws Exception {
		HostLookup loopback = (host) -> new InetAddress[] { InetAddress.getByName("127.0.0.1") };
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults().allowedHosts("127.0.0.1"), loopback);
		String text = template.replace("PORT", String.valueOf(this.loopback.port()))
			.replace("LONG_LABEL", "a".repeat(64))
			.replace("MANY_LABELS", "a.".repeat(200));
		for (URI url : List.of(new URI(text), new URI(this.loopback.url("/redirect") + "?to=" + text))) {
			Throwable thrown = catchThrowable(() -> fetcher.fetch(url, task()));
			if (thrown != null) {
				assertThat(thrown).as(url.toString()).isInstanceOf(TaskFailedException.class);
				assertThat(((TaskFailedException) thrown).code()).as(url.toString())
					.isNotEqualTo(TaskErrorCode.INTERNAL);
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:65536/", "http://127.0.0.1:0/", "http://[::1]:99999/" })
	void refusesPortsOutOfRangeAsBlocked(String url) {
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults().allowedHosts("127.0.0.1", "::1"));
		TaskFailedException failure = failure(() -> fetcher.fetch(URI.create(url), task()));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.BLOCKED);
		assertThat(failure.getMessage()).contains("port");
	}

	@Test
	void refusesUrlsWithCredentialsWithoutSendingThem() {
		UrlFetcher fetcher = fetcher(TestFetchProperties.defaults().allowedHosts("127.0.0.1"));
		URI url = URI.create("http://user:secret@127.0.0.1:" + this.loopback.port() + "/ok");
		TaskFailedException failure = failure(() -> fetcher.fetch(url, task()));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.BLOCKED);
		assertThat(failure.getMessage()).isEqualTo("URL must not contain credentials (user:password@)")
			.doesNotContain("secret");
		assertThat(this.loopback.requests()).isZero();
		assertThat(blocked("credentials")).isOne();
	}

	@Test
	void failsClosedWhenDnsLookupTimesOut() {
		HostLookup stuck = (host) -> {
			try {
				new CountDownLatch(1).await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return new InetAddress[] { InetAddress.getByName("127.0.0.1") };
		};
		UrlFetcher fetcher = fetcher(
				TestFetchProperties.defaults().allowedHosts("127.0.0.1").dnsTimeout(Duration.ofMillis(200)), stuck);
		long start = System.nanoTime();
		TaskFailedException failure = failure(
				() -> fetcher.fetch(URI.create("http://slow.test:" + this.loopback.port() + "/ok"), task()));
		assertThat(failure.code()).isEqualTo(TaskErrorCode.DNS);
		assertThat(failure.getMessage()).isEqualTo("DNS lookup of slow.test timed out after 200 ms");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		assertThat(this.loopback.requests()).isZero();
		assertThat(blocked("dns")).isOne();
	}

	@Test
	void registersGuardMetricsUpFront() {
		fetcher(TestFetchProperties.defaults());
		for (String reason : List.of("scheme", "invalid_host", "credentials", "private_address", "self", "downgrade",
				"dns")) {
			assertThat(blocked(reason)).as(reason).isZero();
		}
		for (String reason : List.of("too_large", "timeout")) {
			assertThat(this.meterRegistry.get(FetchMetrics.ABORTED).tag(FetchMetrics.REASON, reason).counter().count())
				.as(reason)
				.isZero();
		}
	}

	private double blocked(String reason) {
		return this.meterRegistry.get(FetchMetrics.BLOCKED).tag(FetchMetrics.REASON, reason).counter().count();
	}

	private UrlFetcher fetcher(TestFetchProperties properties) {
		return fetcher(properties, HostLookup.SYSTEM);
	}

	private UrlFetcher fetcher(TestFetchProperties properties, HostLookup lookup) {
		UrlFetcher fetcher = new UrlFetcher(properties.build(), this.meterRegistry, new ServicePorts(), lookup,
				sslContext);
		this.closeables.add(fetcher);
		return fetcher;
	}

	private RecordingServer server(RecordingServer server) {
		this.closeables.add(server);
		return server;
	}

	private static TaskControl task() {
		return TaskControl.withTimeout(LONG);
	}

	private static TaskFailedException failure(ThrowingCallable call) {
		return catchThrowableOfType(TaskFailedException.class, call);
	}

}
