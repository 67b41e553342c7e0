package dev.jobpool.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.jobpool.web.ApiErrorCode;
import dev.jobpool.web.ProblemResponses;

/**
 * Requires the API key on {@code /api/**} (and on the Prometheus endpoint if configured)
 * when one is set, as {@code X-API-Key} or {@code Authorization: Bearer}, compared in
 * constant time. Health, Swagger UI and the dashboard page stay open.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ApiKeyFilter extends OncePerRequestFilter {

	private static final Logger logger = LoggerFactory.getLogger(ApiKeyFilter.class);

	private final SecurityProperties properties;

	private final byte @Nullable [] expectedDigest;

	private final ProblemResponses problems;

	ApiKeyFilter(SecurityProperties properties, ProblemResponses problems) {
		this.properties = properties;
		this.problems = problems;
		this.expectedDigest = properties.enabled() ? digest(properties.apiKey()) : null;
	}

	@EventListener(ApplicationReadyEvent.class)
	void warnIfOpen() {
		if (!this.properties.enabled()) {
			logger.warn("No API key is set (jobpool.security.api-key or JOBPOOL_API_KEY): anyone who can reach "
					+ "this port can submit jobs");
		}
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		if (this.expectedDigest == null || "OPTIONS".equals(request.getMethod())) {
			return true;
		}
		String path = request.getRequestURI();
		return !(path.startsWith("/api/")
				|| (this.properties.protectMetrics() && path.startsWith("/actuator/prometheus")));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String presented = presentedKey(request);
		if (presented != null && this.expectedDigest != null
				&& MessageDigest.isEqual(this.expectedDigest, digest(presented))) {
			chain.doFilter(request, response);
			return;
		}
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"jobpool\"");
		this.problems.write(request, response, ApiErrorCode.UNAUTHORIZED, (presented == null)
				? "This endpoint requires the API key, as X-API-Key or Authorization: Bearer" : "The API key is wrong");
	}

	private static @Nullable String presentedKey(HttpServletRequest request) {
		String header = request.getHeader("X-API-Key");
		if (header != null && !header.isEmpty()) {
			return header;
		}
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return authorization.substring(7).trim();
		}
		return null;
	}

	/**
	 * Digests of equal length make the comparison's time independent of where the keys
	 * differ.
	 */
	private static byte[] digest(String key) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is always available", ex);
		}
	}

}
