package dev.jobpool.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import dev.jobpool.task.FetchResult;
import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskFailedException;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Fetch URLs over HTTP(S) with one shared, pooled client: follow redirects up to a limit,
 * read the final body to its end while hashing it, and stop at once when the task is
 * aborted. Safe for any number of concurrent callers.
 * <p>
 * Guarded against server-side request forgery: only http and https, every host of every
 * hop resolved once and refused if any of its addresses is in a blocked range or is this
 * service, the connection made to exactly the addresses vetted, and no redirect from
 * https to http. A URL with credentials or a port out of range is refused too, the
 * credentials never repeated in a message. A refused fetch fails with {@code blocked}
 * before any packet is sent to the target. Requests in flight are capped per host and in
 * all.
 */
@Component
public class UrlFetcher implements DisposableBean, AutoCloseable {

	private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);

	private static final int BUFFER_SIZE = 8 * 1024;

	private static final int CONNECTION_BUFFER_SIZE = 4 * 1024;

	// Idle pooled connections are closed after this long rather than kept until the
	// server drops them: a pool sized for thousands of concurrent fetches would otherwise
	// hold as many sockets.
	private static final TimeValue MAX_IDLE = TimeValue.ofMinutes(1);

	private static final RequestConfig BASE_REQUEST_CONFIG = RequestConfig.custom()
		.setRedirectsEnabled(false)
		.setAuthenticationEnabled(false)
		.setExpectContinueEnabled(false)
		.setProtocolUpgradeEnabled(false)
		.build();

	private static final TimeValue STALE_CHECK_AFTER = TimeValue.ofMilliseconds(200);

	private static final int MAX_STALE_RETRIES = 3;

	private static final int MAX_PORT = 65535;

	/** The user info of a URL in text that java.net.URI could not parse. */
	private static final Pattern USER_INFO = Pattern.compile("(//)[^/?#@]*@");

	private final FetchProperties properties;

	private final FetchMetrics metrics;

	private final FetchPermits permits;

	private final CloseableHttpClient client;

	/**
	 * Create a fetcher with its own connection pool, that knows the service's ports only
	 * from {@link FetchProperties#servicePorts()}: for worker processes and tests.
	 * @param properties the fetch settings
	 * @param meterRegistry where to register the fetch metrics
	 */
	public UrlFetcher(FetchProperties properties, MeterRegistry meterRegistry) {
		this(properties, meterRegistry, new ServicePorts(), HostLookup.SYSTEM, null);
	}

	/**
	 * Create a fetcher with its own connection pool.
	 * @param properties the fetch settings
	 * @param meterRegistry where to register the fetch metrics
	 * @param servicePorts the ports of the service's web servers, never a target on this
	 * host
	 */
	@Autowired
	public UrlFetcher(FetchProperties properties, MeterRegistry meterRegistry, ServicePorts servicePorts) {
		this(properties, meterRegistry, servicePorts, HostLookup.SYSTEM, null);
	}

	/**
	 * Create a fetcher that looks host names up with the given lookup and, if given,
	 * trusts the servers the SSL context trusts.
	 */
	UrlFetcher(FetchProperties properties, MeterRegistry meterRegistry, ServicePorts servicePorts, HostLookup lookup,
			@Nullable SSLContext sslContext) {
		this.properties = properties;
		this.metrics = new FetchMetrics(meterRegistry);
		this.permits = new FetchPermits(properties.maxPerHost(), properties.maxInFlight());
		FetchGuard guard = new FetchGuard(properties, servicePorts, lookup);
		this.client = createClient(properties, new FetchDnsResolver(guard), sslContext);
	}

	private static CloseableHttpClient createClient(FetchProperties properties, FetchDnsResolver dnsResolver,
			@Nullable SSLContext sslContext) {
		Timeout connectTimeout = Timeout.of(properties.connectTimeout());
		Timeout readTimeout = Timeout.of(properties.readTimeout());
		PoolingHttpClientConnectionManagerBuilder builder = PoolingHttpClientConnectionManagerBuilder.create();
		if (sslContext != null) {
			builder.setTlsSocketStrategy(new DefaultClientTlsStrategy(sslContext));
		}
		PoolingHttpClientConnectionManager connectionManager = builder.setDnsResolver(dnsResolver)
			// Thousands of virtual threads lease at once: LAX pools lock per route, not
			// the whole pool.
			.setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
			// Ten thousand idle connections keep their buffers: 4 KiB each way instead of
			// 8.
			.setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
				.http1Config(Http1Config.custom().setBufferSize(CONNECTION_BUFFER_SIZE).build())
				.build())
			.setMaxConnTotal(properties.maxConnections())
			// Never more connections to one host than requests it may have in flight.
			.setMaxConnPerRoute(Math.min(properties.maxPerHost(), properties.maxConnections()))
			.setDefaultConnectionConfig(ConnectionConfig.custom()
				.setConnectTimeout(connectTimeout)
				.setSocketTimeout(readTimeout)
				// A server may close a kept-alive connection at any time; check one that
				// sat idle.
				.setValidateAfterInactivity(STALE_CHECK_AFTER)
				.build())
			.setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(readTimeout).setTcpNoDelay(true).build())
			.build();
		return HttpClients.custom()
			.setConnectionManager(connectionManager)
			.setDefaultRequestConfig(BASE_REQUEST_CONFIG)
			.setUserAgent(properties.userAgent())
			.disableRedirectHandling()
			.setRetryStrategy(new StaleConnectionRetry())
			.disableCookieManagement()
			.disableAuthCaching()
			.disableContentCompression()
			.evictIdleConnections(MAX_IDLE)
			.build();
	}

	/**
	 * Fetch a URL with GET, following redirects, and read the final response's body to
	 * its end. Any HTTP response, whatever its status, is a result.
	 * @param url the http or https URL to fetch
	 * @param control the deadline and abort switch of the task doing the fetch
	 * @return the status, size, hash and timings of the final response
	 * @throws TaskFailedException if the URL or a redirect is refused ({@code blocked}),
	 * no complete response could be read, the body is too large, there were too many
	 * redirects, or the task was aborted
	 */
	public FetchResult fetch(URI url, TaskControl control) throws TaskFailedException {
		try {
			FetchResult result = fetch(url, control, System.nanoTime());
			this.metrics.response(result.status());
			return result;
		}
		catch (TaskFailedException ex) {
			this.metrics.error(ex.code());
			throw ex;
		}
		catch (RuntimeException ex) {
			this.metrics.error(TaskErrorCode.INTERNAL);
			throw ex;
		}
	}

	/**
	 * POST a body to a URL, guarded as a fetch is (the same allowed hosts, blocked
	 * networks and the service's own ports), without following redirects; the answer's
	 * body is read (up to the response size limit) and dropped. For job callbacks.
	 * @param url the http or https URL
	 * @param body what to send, as {@code application/json}
	 * @param headers the request's other headers
	 * @param control the deadline and abort switch of the attempt
	 * @return the answer's status code
	 * @throws TaskFailedException if the URL is refused ({@code blocked}), no answer came
	 * ({@code connect}, {@code timeout}, {@code io} …) or the attempt was aborted
	 */
	public int post(URI url, byte[] body, Map<String, String> headers, TaskControl control) throws TaskFailedException {
		Target target = target(url, null);
		control.checkNotAborted();
		try (FetchPermits.Lease _ = this.permits.acquire(target.hostKey(), control)) {
			HttpPost request = new HttpPost(target.uri());
			headers.forEach(request::setHeader);
			request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
			Duration readTimeout = readTimeout(control);
			request.setConfig(requestConfig(readTimeout, control));
			control.onAbort(request::cancel);
			ClassicHttpResponse response = send(request, url, readTimeout, control);
			try {
				readBody(response, url, readTimeout, control);
				return response.getCode();
			}
			finally {
				discard(request, response);
			}
		}
	}

	private FetchResult fetch(URI url, TaskControl control, long start) throws TaskFailedException {
		URI current = url;
		URI previous = null;
		int redirects = 0;
		while (true) {
			Target target = target(current, previous);
			control.checkNotAborted();
			try (FetchPermits.Lease _ = this.permits.acquire(target.hostKey(), control)) {
				HttpGet request = new HttpGet(target.uri());
				Duration readTimeout = readTimeout(control);
				request.setConfig(requestConfig(readTimeout, control));
				// Cancelling the request closes its connection, which unblocks a connect
				// or read in progress.
				control.onAbort(request::cancel);
				ClassicHttpResponse response = send(request, current, readTimeout, control);
				try {
					URI location = redirectLocation(current, response);
					if (location != null) {
						int limit = this.properties.maxRedirects();
						if (redirects >= limit) {
							throw new TaskFailedException(TaskErrorCode.TOO_MANY_REDIRECTS,
									"more than " + limit + ((limit == 1) ? " redirect" : " redirects"));
						}
						previous = current;
						current = location;
						redirects++;
						continue;
					}
					double timeToFirstByteMs = millisSince(start);
					Body body = readBody(response, current, readTimeout, control);
					return new FetchResult(response.getCode(), body.bytes(), contentType(response), current.toString(),
							body.sha256(), timeToFirstByteMs, millisSince(start), redirects);
				}
				finally {
					discard(request, response);
				}
			}
		}
	}

	/**
	 * Check what can be checked of a URL before any I/O (its scheme, its host's syntax,
	 * the scheme of the hop before) and return what to request: the URL itself, or the
	 * URL with an odd spelling of an IPv4 host ({@code 0x7f.1}, {@code 2130706433})
	 * replaced by the address it stands for, so that the client connects to that address
	 * and no resolver reads it differently. The addresses themselves are vetted by the
	 * DNS resolver, on connecting.
	 */
	private Target target(URI url, @Nullable URI previous) throws TaskFailedException {
		String scheme = url.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
			throw blocked(BlockReason.SCHEME,
					"scheme not allowed: " + ((scheme != null) ? scheme : "none") + " (only http and https)");
		}
		if (hasUserInfo(url)) {
			// Refused rather than dropped, and never repeated in a message: the password
			// would end up in the task's error.
			throw blocked(BlockReason.CREDENTIALS, "URL must not contain credentials (user:password@)");
		}
		boolean https = scheme.equalsIgnoreCase("https");
		if (previous != null && !https && "https".equalsIgnoreCase(previous.getScheme())) {
			throw blocked(BlockReason.DOWNGRADE, "redirect from https to http refused: " + url);
		}
		// java.net.URI reads a host such as 127.1 or 0x7f.1 as no host at all: read it
		// from the authority.
		Authority authority = (url.getHost() != null) ? new Authority(url.getHost(), url.getPort())
				: Authority.parse(url.getRawAuthority());
		if (authority == null) {
			throw blocked(BlockReason.INVALID_HOST, "URL has no valid host: " + url);
		}
		Hosts.Host host;
		try {
			host = Hosts.parse(authority.host());
		}
		catch (IllegalArgumentException ex) {
			throw blocked(BlockReason.INVALID_HOST, "URL has no valid host: " + url);
		}
		if (authority.port() == 0 || authority.port() > MAX_PORT) {
			throw blocked(BlockReason.INVALID_HOST,
					"URL has an invalid port " + authority.port() + " (must be 1 to " + MAX_PORT + "): " + url);
		}
		int port = (authority.port() != -1) ? authority.port() : (https ? 443 : 80);
		return switch (host) {
			case Hosts.Host.Literal(InetAddress address) when address instanceof Inet4Address -> {
				String canonical = address.getHostAddress();
				URI uri = (canonical.equals(authority.host()) && url.getHost() != null) ? url
						: withHost(url, canonical, authority.port());
				yield new Target(uri, canonical + ":" + port);
			}
			case Hosts.Host.Literal(InetAddress address) -> {
				if (url.getHost() == null) {
					throw blocked(BlockReason.INVALID_HOST, "URL has no valid host: " + url);
				}
				yield new Target(url, "[" + address.getHostAddress() + "]:" + port);
			}
			case Hosts.Host.Name(String name) -> {
				if (url.getHost() == null) {
					// A name java.net.URI cannot read (a_b.example) cannot be requested
					// either.
					throw blocked(BlockReason.INVALID_HOST, "URL has no valid host: " + url);
				}
				yield new Target(url, name + ":" + port);
			}
		};
	}

	private static boolean hasUserInfo(URI url) {
		// A registry-based authority (a host java.net.URI cannot read) has no user info
		// of its own: look for the '@' in the raw authority.
		return url.getRawUserInfo() != null
				|| (url.getRawAuthority() != null && url.getRawAuthority().indexOf('@') >= 0);
	}

	private static URI withHost(URI url, String host, int port) {
		StringBuilder text = new StringBuilder(url.getScheme()).append("://");
		text.append(host);
		if (port != -1) {
			text.append(':').append(port);
		}
		text.append((url.getRawPath() != null) ? url.getRawPath() : "");
		if (url.getRawQuery() != null) {
			text.append('?').append(url.getRawQuery());
		}
		return URI.create(text.toString());
	}

	/**
	 * Count a refused fetch and return its failure.
	 */
	private TaskFailedException blocked(BlockReason reason, String message) {
		this.metrics.blocked(reason);
		return new TaskFailedException(TaskErrorCode.BLOCKED, message);
	}

	/**
	 * Return how long to wait for the next bytes from the server: the read timeout, but
	 * never past the task's deadline.
	 */
	private Duration readTimeout(TaskControl control) {
		// One more millisecond so that a wait cut short by the deadline ends after it,
		// not just before.
		Duration remaining = control.remaining().plusMillis(1);
		return (remaining.compareTo(this.properties.readTimeout()) < 0) ? remaining : this.properties.readTimeout();
	}

	private static RequestConfig requestConfig(Duration readTimeout, TaskControl control) {
		return RequestConfig.copy(BASE_REQUEST_CONFIG)
			.setResponseTimeout(Timeout.of(readTimeout))
			.setConnectionRequestTimeout(Timeout.of(control.remaining().plusMillis(1)))
			.build();
	}

	private ClassicHttpResponse send(HttpUriRequestBase request, URI url, Duration readTimeout, TaskControl control)
			throws TaskFailedException {
		try {
			// The resolver, which runs on this thread, bounds its lookup by the task's
			// deadline.
			return ScopedValue.where(FetchGuard.TASK, control).call(() -> this.client.executeOpen(null, request, null));
		}
		catch (IOException ex) {
			AddressBlocked blocked = addressBlocked(ex);
			if (blocked != null) {
				throw blocked(blocked.reason(), String.valueOf(blocked.getMessage()));
			}
			throw abortFailureOr(control, ex, FetchFailures.beforeResponse(ex, url, readTimeout));
		}
	}

	private static @Nullable AddressBlocked addressBlocked(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof AddressBlocked blocked) {
				return blocked;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	private static @Nullable URI redirectLocation(URI current, ClassicHttpResponse response)
			throws TaskFailedException {
		if (!REDIRECT_STATUSES.contains(response.getCode())) {
			return null;
		}
		Header location = response.getFirstHeader(HttpHeaders.LOCATION);
		if (location == null || location.getValue().isBlank()) {
			return null;
		}
		try {
			return UriReferences.resolve(current, location.getValue().strip());
		}
		catch (URISyntaxException ex) {
			// Not kept as the cause: its message repeats the location, user info and all.
			throw new TaskFailedException(TaskErrorCode.IO, "invalid redirect location from " + current + ": "
					+ USER_INFO.matcher(location.getValue()).replaceFirst("$1") + " (" + ex.getReason() + ")");
		}
	}

	private Body readBody(ClassicHttpResponse response, URI url, Duration readTimeout, TaskControl control)
			throws TaskFailedException {
		HttpEntity entity = response.getEntity();
		if (entity == null) {
			return Body.EMPTY;
		}
		long limit = this.properties.maxResponseSize().toBytes();
		MessageDigest digest = newSha256();
		long read = 0;
		try {
			// Not closed here: closing the stream drains the rest of the body, discard()
			// cuts it off.
			InputStream content = entity.getContent();
			byte[] buffer = new byte[BUFFER_SIZE];
			int count;
			while ((count = content.read(buffer)) != -1) {
				read += count;
				if (read > limit) {
					throw new TaskFailedException(TaskErrorCode.TOO_LARGE,
							"response body is larger than the limit of " + limit + " bytes");
				}
				digest.update(buffer, 0, count);
				control.checkNotAborted();
			}
			return new Body(read, HexFormat.of().formatHex(digest.digest()));
		}
		catch (IOException ex) {
			throw abortFailureOr(control, ex,
					FetchFailures.whileReadingBody(ex, url, read, entity.getContentLength(), readTimeout));
		}
		finally {
			this.metrics.bytesRead(read);
		}
	}

	/**
	 * Return the failure to report for an I/O error: the abort if the task was aborted
	 * (the abort is what broke the connection), else the error's own failure.
	 */
	private static TaskFailedException abortFailureOr(TaskControl control, IOException ex,
			TaskFailedException failure) {
		try {
			control.checkNotAborted();
			return failure;
		}
		catch (TaskFailedException aborted) {
			aborted.addSuppressed(ex);
			return aborted;
		}
	}

	/**
	 * Release the response's connection. A body read to its end has already given the
	 * connection back to the pool; otherwise cancelling closes it, where closing the
	 * response alone would first drain what is left of the body.
	 */
	private static void discard(HttpUriRequestBase request, ClassicHttpResponse response) {
		request.cancel();
		try {
			response.close();
		}
		catch (IOException ex) {
			// The connection is closed either way.
		}
	}

	private static @Nullable String contentType(ClassicHttpResponse response) {
		Header header = response.getFirstHeader(HttpHeaders.CONTENT_TYPE);
		return (header != null) ? header.getValue() : null;
	}

	private static MessageDigest newSha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	private static double millisSince(long startNanos) {
		return (System.nanoTime() - startNanos) / 1_000_000.0;
	}

	@Override
	public void destroy() {
		close();
	}

	/**
	 * Close the client and its pooled connections.
	 */
	@Override
	public void close() {
		this.client.close(CloseMode.GRACEFUL);
	}

	/**
	 * What one hop requests.
	 *
	 * @param uri the URL to send the request to
	 * @param hostKey the host and port the per-host cap counts against, lowercase
	 */
	private record Target(URI uri, String hostKey) {

	}

	/**
	 * The host and port of a URL's authority that {@link URI} did not read as a server.
	 *
	 * @param host the host, brackets included for IPv6
	 * @param port the port, or -1
	 */
	private record Authority(String host, int port) {

		static @Nullable Authority parse(@Nullable String rawAuthority) {
			if (rawAuthority == null) {
				return null;
			}
			String hostPort = rawAuthority.substring(rawAuthority.lastIndexOf('@') + 1);
			int colon = hostPort.lastIndexOf(':');
			if (colon < 0 || hostPort.endsWith("]")) {
				return hostPort.isEmpty() ? null : new Authority(hostPort, -1);
			}
			String port = hostPort.substring(colon + 1);
			if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch((c) -> c >= '0' && c <= '9')) {
				return null;
			}
			String host = hostPort.substring(0, colon);
			return host.isEmpty() ? null : new Authority(host, Integer.parseInt(port));
		}

	}

	private record Body(long bytes, String sha256) {

		static final Body EMPTY = new Body(0, HexFormat.of().formatHex(newSha256().digest()));

	}

	/**
	 * Sends a GET again when a kept-alive connection turned out to be closed by the
	 * server before any response came: the only failure a second try is sure to be safe
	 * for. A server that drops idle connections may have dropped several, so a few tries
	 * are allowed. Every other failure is the task's outcome.
	 */
	private static final class StaleConnectionRetry implements HttpRequestRetryStrategy {

		@Override
		public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
			return execCount <= MAX_STALE_RETRIES && exception instanceof NoHttpResponseException
					&& Method.GET.isSame(request.getMethod());
		}

		@Override
		public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
			return false;
		}

		@Override
		public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
			return TimeValue.ZERO_MILLISECONDS;
		}

	}

}
