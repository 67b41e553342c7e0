package dev.jobpool.fetch;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

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
 * <p>
 * Fetch URLs come from API callers, so by default a fetch may reach only the public
 * internet: never this host, its private networks or a cloud metadata service
 * (server-side request forgery). {@code allowed-hosts} and {@code block-private-networks}
 * loosen that; whatever they say, only http and https are fetched, an https redirect
 * never leads to http, and the service's own ports on this host are never a target.
 *
 * @param connectTimeout how long to wait for a TCP connection to the server
 * @param readTimeout longest silence allowed between two reads from the server, while
 * waiting for the response headers and while reading the body; the task's deadline bounds
 * the whole fetch anyway
 * @param maxResponseSize largest response body read; a fetch fails with {@code too_large}
 * once the body passes it, whatever the response's {@code Content-Length} says
 * @param maxRedirects most redirects followed per fetch; one more fails the fetch with
 * {@code too_many_redirects}
 * @param maxConnections size of the connection pool in total; the pool keeps at most
 * {@code maxPerHost} of them per host
 * @param userAgent value of the {@code User-Agent} header sent with every request
 * @param allowedHosts host names (matched exactly), IP addresses and CIDR blocks let
 * through even when their addresses are in a blocked range. Risk: every entry opens that
 * host or network to anyone who may submit a fetch job, including services that trust
 * callers on the internal network and cloud metadata endpoints; allow the narrowest block
 * that works, never a whole private range on a production host
 * @param blockPrivateNetworks whether addresses in the blocked ranges (loopback, private,
 * link-local, carrier-grade NAT, multicast, documentation, reserved, IPv6 transition
 * prefixes) are refused. Risk: {@code false} lets API callers reach this host and every
 * internal network it can route to; meant only for a service that fetches nothing but
 * internal URLs from trusted callers
 * @param dnsTimeout longest wait for a host's DNS lookup; a lookup that fails or times
 * out fails the fetch with {@code dns}
 * @param maxPerHost most requests in flight to one host and port at once, out of
 * politeness to each server; more wait their turn within their task's deadline
 * @param maxInFlight most requests in flight in all at once; more wait their turn within
 * their task's deadline
 * @param servicePorts ports on this host that are the service too, never fetched on any
 * address of this host (for example a local reverse proxy in front of it); the ports of
 * the service's own web servers are added on their own as they start
 */
@ConfigurationProperties("jobpool.fetch")
@Validated
public record FetchProperties(@DefaultValue("5s") @NotNull Duration connectTimeout,
		@DefaultValue("30s") @NotNull Duration readTimeout, @DefaultValue("10MB") @NotNull DataSize maxResponseSize,
		@DefaultValue("5") @Min(0) @Max(100) int maxRedirects,
		@DefaultValue("10000") @Min(1) @Max(1_000_000) int maxConnections,
		@DefaultValue("jobpool/0.1") @NotBlank String userAgent, @DefaultValue List<String> allowedHosts,
		@DefaultValue("true") boolean blockPrivateNetworks, @DefaultValue("5s") @NotNull Duration dnsTimeout,
		@DefaultValue("64") @Min(1) @Max(1_000_000) int maxPerHost,
		@DefaultValue("10000") @Min(1) @Max(1_000_000) int maxInFlight, @DefaultValue List<Integer> servicePorts) {

	public FetchProperties {
		// A zero timeout means "wait forever" to the HTTP client, so it is refused rather
		// than passed on.
		Assert.isTrue(isPositive(connectTimeout), "jobpool.fetch.connect-timeout must be positive");
		Assert.isTrue(isPositive(readTimeout), "jobpool.fetch.read-timeout must be positive");
		Assert.isTrue(isPositive(maxResponseSize), "jobpool.fetch.max-response-size must be positive");
		Assert.isTrue(isPositive(dnsTimeout), "jobpool.fetch.dns-timeout must be positive");
		allowedHosts = List.copyOf(allowedHosts);
		servicePorts = List.copyOf(servicePorts);
		try {
			AllowedHosts.parse(allowedHosts);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("jobpool.fetch.allowed-hosts: " + ex.getMessage(), ex);
		}
		for (int port : servicePorts) {
			Assert.isTrue(port > 0 && port <= 65535,
					() -> "jobpool.fetch.service-ports must be ports between 1 and 65535, was " + port);
		}
	}

	/**
	 * Return these settings with more ports that are the service: those of its web
	 * servers, learnt as they start.
	 * @param more the ports to add to {@link #servicePorts()}
	 * @return the settings, the same but for their service ports
	 */
	public FetchProperties withServicePorts(Collection<Integer> more) {
		List<Integer> ports = Stream.concat(this.servicePorts.stream(), more.stream()).distinct().toList();
		return new FetchProperties(this.connectTimeout, this.readTimeout, this.maxResponseSize, this.maxRedirects,
				this.maxConnections, this.userAgent, this.allowedHosts, this.blockPrivateNetworks, this.dnsTimeout,
				this.maxPerHost, this.maxInFlight, ports);
	}

	// Null is left to @NotNull, which reports it along with the other constraint
	// violations.
	private static boolean isPositive(@Nullable Duration duration) {
		return duration == null || duration.isPositive();
	}

	private static boolean isPositive(@Nullable DataSize size) {
		return size == null || size.toBytes() > 0;
	}

}
