package dev.jobpool.task;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of one fetch that got an HTTP response, whatever its status.
 *
 * @param status status code of the final response (after redirects)
 * @param bytes length of the final response's body as received, before any decoding
 * @param contentType the final response's {@code Content-Type}, if it had one
 * @param finalUrl URL of the final response
 * @param sha256 SHA-256 of the final response's body, lowercase hex
 * @param timeToFirstByteMs milliseconds from the start of the fetch to the final
 * response's headers
 * @param totalMs milliseconds from the start of the fetch to the end of the final
 * response's body
 * @param redirects redirects followed to reach the final response
 */
public record FetchResult(int status, long bytes, @Nullable String contentType, String finalUrl, String sha256,
		double timeToFirstByteMs, double totalMs, int redirects) implements TaskResult {

}
