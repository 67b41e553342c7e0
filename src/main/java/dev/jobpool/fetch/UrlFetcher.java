package dev.jobpool.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;

import dev.jobpool.execution.TaskControl;
import dev.jobpool.execution.TaskErrorCode;
import dev.jobpool.execution.TaskFailedException;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.utils.URIUtils;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Fetch URLs over HTTP(S) with one shared, pooled client: follow redirects up to a limit, read
 * the final body to its end while hashing it, and stop at once when the task is aborted. Safe for
 * any number of concurrent callers.
 */
@Component
public class UrlFetcher implements DisposableBean, AutoCloseable {

	private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);

	private static final int BUFFER_SIZE = 8 * 1024;

	// Idle pooled connections are closed after this long rather than kept until the server drops
	// them: a pool sized for thousands of concurrent fetches would otherwise hold as many sockets.
	private static final TimeValue MAX_IDLE = TimeValue.ofMinutes(1);

	private static final RequestConfig BASE_REQUEST_CONFIG = RequestConfig.custom()
		.setRedirectsEnabled(false)
		.setAuthenticationEnabled(false)
		.setExpectContinueEnabled(false)
		.setProtocolUpgradeEnabled(false)
		.build();

	private static final TimeValue STALE_CHECK_AFTER = TimeValue.ofMilliseconds(200);

	private static final int MAX_STALE_RETRIES = 3;

	private final FetchProperties properties;

	private final FetchMetrics metrics;

	private final CloseableHttpClient client;

	/**
	 * Create a fetcher with its own connection pool.
	 * @param properties the fetch settings
	 * @param meterRegistry where to register the fetch metrics
	 */
	public UrlFetcher(FetchProperties properties, MeterRegistry meterRegistry) {
		this.properties = properties;
		this.metrics = new FetchMetrics(meterRegistry);
		this.client = createClient(properties, new FetchDnsResolver());
	}

	private static CloseableHttpClient createClient(FetchProperties properties, FetchDnsResolver dnsResolver) {
		Timeout connectTimeout = Timeout.of(properties.connectTimeout());
		Timeout readTimeout = Timeout.of(properties.readTimeout());
		PoolingHttpClientConnectionManager connectionManager = PoolingHttpClientConnectionManagerBuilder.create()
			.setDnsResolver(dnsResolver)
			.setMaxConnTotal(properties.maxConnections())
			.setMaxConnPerRoute(properties.maxConnections())
			.setDefaultConnectionConfig(
					ConnectionConfig.custom()
						.setConnectTimeout(connectTimeout)
						.setSocketTimeout(readTimeout)
						// A server may close a kept-alive connection at any time; check one that sat idle.
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
	 * Fetch a URL with GET, following redirects, and read the final response's body to its end.
	 * Any HTTP response, whatever its status, is a result.
	 * @param url the http or https URL to fetch
	 * @param control the deadline and abort switch of the task doing the fetch
	 * @return the status, size, hash and timings of the final response
	 * @throws TaskFailedException if no complete response could be read, the body is too large,
	 * there were too many redirects, or the task was aborted
	 */
	public FetchResult fetch(URI url, TaskControl control) throws TaskFailedException {
		try {
			FetchResult result = fetch(url, control, System.nanoTime());
			this.metrics.response(result.status());
			return result;
		}
		catch (TaskFailedException | RuntimeException ex) {
			this.metrics.error();
			throw ex;
		}
	}

	private FetchResult fetch(URI url, TaskControl control, long start) throws TaskFailedException {
		URI current = url;
		int redirects = 0;
		while (true) {
			checkFetchable(current);
			control.checkNotAborted();
			HttpGet request = new HttpGet(current);
			Duration readTimeout = readTimeout(control);
			request.setConfig(requestConfig(readTimeout, control));
			// Cancelling the request closes its connection, which unblocks a connect or read in progress.
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

	private static void checkFetchable(URI url) throws TaskFailedException {
		String scheme = url.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
			throw new TaskFailedException(TaskErrorCode.BLOCKED,
					"scheme not allowed: " + ((scheme != null) ? scheme : "none") + " (only http and https)");
		}
		if (url.getHost() == null) {
			throw new TaskFailedException(TaskErrorCode.BLOCKED, "URL has no host: " + url);
		}
	}

	/**
	 * Return how long to wait for the next bytes from the server: the read timeout, but never past
	 * the task's deadline.
	 */
	private Duration readTimeout(TaskControl control) {
		// One more millisecond so that a wait cut short by the deadline ends after it, not just before.
		Duration remaining = control.remaining().plusMillis(1);
		return (remaining.compareTo(this.properties.readTimeout()) < 0) ? remaining : this.properties.readTimeout();
	}

	private static RequestConfig requestConfig(Duration readTimeout, TaskControl control) {
		return RequestConfig.copy(BASE_REQUEST_CONFIG)
			.setResponseTimeout(Timeout.of(readTimeout))
			.setConnectionRequestTimeout(Timeout.of(control.remaining().plusMillis(1)))
			.build();
	}

	private ClassicHttpResponse send(HttpGet request, URI url, Duration readTimeout, TaskControl control)
			throws TaskFailedException {
		try {
			return this.client.executeOpen(null, request, null);
		}
		catch (IOException ex) {
			throw abortFailureOr(control, ex, FetchFailures.beforeResponse(ex, url, readTimeout));
		}
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
			// Resolves relative references as RFC 3986 says, unlike URI.resolve.
			return URIUtils.resolve(current, location.getValue().strip());
		}
		catch (IllegalArgumentException ex) {
			throw new TaskFailedException(TaskErrorCode.IO,
					"invalid redirect location from " + current + ": " + location.getValue(), ex);
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
			// Not closed here: closing the stream drains the rest of the body, discard() cuts it off.
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
	 * Return the failure to report for an I/O error: the abort if the task was aborted (the abort
	 * is what broke the connection), else the error's own failure.
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
	 * Release the response's connection. A body read to its end has already given the connection
	 * back to the pool; otherwise cancelling closes it, where closing the response alone would
	 * first drain what is left of the body.
	 */
	private static void discard(HttpGet request, ClassicHttpResponse response) {
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

	private record Body(long bytes, String sha256) {

		static final Body EMPTY = new Body(0, HexFormat.of().formatHex(newSha256().digest()));

	}

	/**
	 * Sends a GET again when a kept-alive connection turned out to be closed by the server before
	 * any response came: the only failure a second try is sure to be safe for. A server that drops
	 * idle connections may have dropped several, so a few tries are allowed. Every other failure is
	 * the task's outcome.
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
