package dev.jobpool.web;

import java.util.Map;

/**
 * How large a request body may be: one limit per path where a feature knows a tighter one
 * than the overall cap, so that an oversized body is refused before it is read.
 *
 * @param maxBytes the limit of every other path
 * @param perPath tighter limits by exact request path
 */
public record RequestBodyLimits(long maxBytes, Map<String, Long> perPath) {

	/**
	 * Create the limits, each path's capped at {@code maxBytes}.
	 * @param maxBytes the limit of every other path
	 * @param perPath tighter limits by exact request path
	 */
	public RequestBodyLimits {
		perPath = Map.copyOf(perPath);
	}

	/**
	 * Return the limit of a request path.
	 * @param path the request's path
	 * @return the most bytes its body may have
	 */
	public long limitFor(String path) {
		return Math.min(this.maxBytes, this.perPath.getOrDefault(path, this.maxBytes));
	}

}
