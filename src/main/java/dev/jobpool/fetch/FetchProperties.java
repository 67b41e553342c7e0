package dev.jobpool.fetch;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the URL fetcher, under {@code jobpool.fetch}.
 *
 * @param connectTimeout how long to wait for a TCP connection to the server
 * @param readTimeout longest silence allowed between two reads from the server, while waiting for
 * the response headers and while reading the body; the task's deadline bounds the whole fetch
 * anyway
 * @param maxResponseSize largest response body read; a fetch fails with {@code too_large} once the
 * body passes it, whatever the response's {@code Content-Length} says
 * @param maxRedirects most redirects followed per fetch; one more fails the fetch with
 * {@code too_many_redirects}
 * @param maxConnections size of the connection pool, both in total and per host and port
 * @param userAgent value of the {@code User-Agent} header sent with every request
 */
@ConfigurationProperties("jobpool.fetch")
@Validated
public record FetchProperties(@DefaultValue("5s") @NotNull Duration connectTimeout,
		@DefaultValue("30s") @NotNull Duration readTimeout, @DefaultValue("10MB") @NotNull DataSize maxResponseSize,
		@DefaultValue("5") @Min(0) @Max(100) int maxRedirects,
		@DefaultValue("10000") @Min(1) @Max(1_000_000) int maxConnections,
		@DefaultValue("jobpool/0.1") @NotBlank String userAgent) {

	public FetchProperties {
		// A zero timeout means "wait forever" to the HTTP client, so it is refused rather than passed on.
		Assert.isTrue(isPositive(connectTimeout), "jobpool.fetch.connect-timeout must be positive");
		Assert.isTrue(isPositive(readTimeout), "jobpool.fetch.read-timeout must be positive");
		Assert.isTrue(isPositive(maxResponseSize), "jobpool.fetch.max-response-size must be positive");
	}

	// Null is left to @NotNull, which reports it along with the other constraint violations.
	private static boolean isPositive(@Nullable Duration duration) {
		return duration == null || duration.isPositive();
	}

	private static boolean isPositive(@Nullable DataSize size) {
		return size == null || size.toBytes() > 0;
	}

}
