package dev.jobpool.fetch;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

import javax.net.ssl.SSLException;

import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskFailedException;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.TruncatedChunkException;
import org.jspecify.annotations.Nullable;

/**
 * Turns the I/O errors of a fetch into task failures with an error code and a short
 * message. Aborts (deadline, cancellation) are not handled here: the caller checks for
 * them first.
 */
final class FetchFailures {

	private FetchFailures() {
	}

	/**
	 * Map an error raised before the response headers arrived: resolving, connecting, the
	 * TLS handshake, sending the request or waiting for the response.
	 */
	static TaskFailedException beforeResponse(IOException ex, URI url, Duration readTimeout) {
		String server = server(url);
		return switch (ex) {
			case DnsLookupTimedOut _ -> new TaskFailedException(TaskErrorCode.DNS, ex.getMessage(), ex);
			case UnknownHostException _ ->
				new TaskFailedException(TaskErrorCode.DNS, "could not resolve host " + url.getHost(), ex);
			case ConnectTimeoutException _ -> connectTimeoutFailure(ex, url, server);
			case NoRouteToHostException _ ->
				new TaskFailedException(TaskErrorCode.CONNECT, "no route to " + server, ex);
			case ConnectException _ -> connectFailure(ex, server);
			case SSLException _ ->
				new TaskFailedException(TaskErrorCode.TLS, "TLS with " + server + " failed: " + reason(ex), ex);
			case SocketTimeoutException _ -> new TaskFailedException(TaskErrorCode.TIMEOUT,
					"no response from " + server + " within " + readTimeout.toMillis() + " ms", ex);
			case NoHttpResponseException _ -> new TaskFailedException(TaskErrorCode.IO,
					server + " closed the connection without sending a response", ex);
			case ConnectionClosedException _ ->
				new TaskFailedException(TaskErrorCode.IO, "connection closed before the response headers ended", ex);
			default -> ioFailure(ex, server);
		};
	}

	/**
	 * Map an error raised while reading the final response's body.
	 * @param read bytes of the body read before the error
	 * @param expected the body length announced by the response, or -1
	 */
	static TaskFailedException whileReadingBody(IOException ex, URI url, long read, long expected,
			Duration readTimeout) {
		String server = server(url);
		return switch (ex) {
			case SocketTimeoutException _ -> new TaskFailedException(TaskErrorCode.TIMEOUT, "no data from " + server
					+ " for " + readTimeout.toMillis() + " ms while reading the body (read " + read + " bytes)", ex);
			case SSLException _ -> new TaskFailedException(TaskErrorCode.TLS,
					"TLS with " + server + " failed while reading the body: " + reason(ex), ex);
			case ConnectionClosedException _, TruncatedChunkException _ -> new TaskFailedException(TaskErrorCode.IO,
					"connection closed before the body ended (" + progress(read, expected) + ")", ex);
			case MalformedChunkCodingException _ -> new TaskFailedException(TaskErrorCode.IO,
					"malformed chunked body from " + server + " (" + progress(read, expected) + ")", ex);
			default -> ioFailure(ex, server);
		};
	}

	private static TaskFailedException connectTimeoutFailure(IOException ex, URI url, String server) {
		// The client reports a TLS handshake that gets no answer as a connect timeout;
		// the socket's own message tells it apart from a TCP connect that gets none.
		boolean handshake = "https".equalsIgnoreCase(url.getScheme())
				&& reason(ex).toLowerCase(Locale.ROOT).contains("read timed out");
		if (handshake) {
			return new TaskFailedException(TaskErrorCode.TLS, "TLS handshake with " + server + " timed out", ex);
		}
		return new TaskFailedException(TaskErrorCode.CONNECT, "timed out connecting to " + server, ex);
	}

	private static TaskFailedException connectFailure(IOException ex, String server) {
		String reason = reason(ex);
		if (reason.contains("refused")) {
			return new TaskFailedException(TaskErrorCode.CONNECT, "connection refused to " + server, ex);
		}
		return new TaskFailedException(TaskErrorCode.CONNECT, "could not connect to " + server + ": " + reason, ex);
	}

	private static TaskFailedException ioFailure(IOException ex, String server) {
		if (ex instanceof ClientProtocolException) {
			return new TaskFailedException(TaskErrorCode.IO, "invalid HTTP response from " + server + ": " + reason(ex),
					ex);
		}
		String reason = reason(ex);
		if (ex instanceof SocketException && reason.contains("reset")) {
			return new TaskFailedException(TaskErrorCode.IO, "connection reset by " + server, ex);
		}
		return new TaskFailedException(TaskErrorCode.IO, "connection to " + server + " failed: " + reason, ex);
	}

	private static String progress(long read, long expected) {
		return (expected >= 0) ? "read " + read + " of " + expected + " bytes" : "read " + read + " bytes";
	}

	/**
	 * Return the innermost message of the error, lowercased at the start, or its type if
	 * it has none: the client's own messages repeat the URL, which the task already
	 * shows.
	 */
	private static String reason(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		String message = message(cause);
		if (message == null && cause != ex) {
			message = message(ex);
		}
		if (message == null) {
			return cause.getClass().getSimpleName();
		}
		return message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
	}

	private static @Nullable String message(Throwable ex) {
		String message = ex.getMessage();
		return (message != null && !message.isBlank()) ? message.strip() : null;
	}

	private static String server(URI url) {
		int port = url.getPort();
		if (port == -1) {
			port = "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
		}
		return url.getHost() + ":" + port;
	}

}
