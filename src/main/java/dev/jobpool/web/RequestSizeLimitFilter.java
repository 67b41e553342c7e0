package dev.jobpool.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses API request bodies larger than their endpoint can need with 413, before reading
 * them when the client announces the size and as soon as a chunked body passes it. A sum
 * job's limit follows from its most numbers and their digits, a fetch job's from its most
 * URLs and their length, a benchmark's from the larger; none is past
 * {@code jobpool.jobs.max-request-size}.
 */
@Component
class RequestSizeLimitFilter extends OncePerRequestFilter {

	/** Room for the fields beside the list, and for whitespace. */
	private final RequestBodyLimits limits;

	private final ProblemResponses problems;

	RequestSizeLimitFilter(RequestBodyLimits limits, ProblemResponses problems) {
		this.limits = limits;
		this.problems = problems;
	}

	private long limitFor(HttpServletRequest request) {
		return this.limits.limitFor(request.getRequestURI());
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/api/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long limit = limitFor(request);
		long announced = request.getContentLengthLong();
		if (announced > limit) {
			reject(request, response, limit);
			return;
		}
		if (announced >= 0) {
			chain.doFilter(request, response);
			return;
		}
		byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
		if (body.length > limit) {
			reject(request, response, limit);
			return;
		}
		chain.doFilter(new BufferedBodyRequest(request, body), response);
	}

	private void reject(HttpServletRequest request, HttpServletResponse response, long limit) throws IOException {
		response.setHeader("Connection", "close");
		this.problems.write(request, response, ApiErrorCode.PAYLOAD_TOO_LARGE,
				"The request body is larger than the limit of " + limit + " bytes");
	}

	private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

		private final byte[] body;

		BufferedBodyRequest(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

		@Override
		public ServletInputStream getInputStream() {
			InputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() throws IOException {
					return in.read();
				}

				@Override
				public int read(byte[] b, int off, int len) throws IOException {
					return in.read(b, off, len);
				}

				@Override
				public boolean isFinished() {
					return this.available() == 0;
				}

				@Override
				public int available() {
					try {
						return in.available();
					}
					catch (IOException ex) {
						return 0;
					}
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("Synchronous reads only");
				}

			};
		}

	}

}
