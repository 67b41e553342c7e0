package dev.jobpool.fetch;

import java.time.Duration;
import java.util.List;

import org.springframework.util.unit.DataSize;

/**
 * Builds {@link FetchProperties} for tests: the defaults of the service, with a small
 * connection pool and a test user agent, changed one setting at a time.
 */
final class TestFetchProperties {

	private Duration connectTimeout = Duration.ofSeconds(5);

	private Duration readTimeout = Duration.ofSeconds(30);

	private int maxRedirects = 5;

	private List<String> allowedHosts = List.of();

	private boolean blockPrivateNetworks = true;

	private Duration dnsTimeout = Duration.ofSeconds(5);

	private int maxPerHost = 64;

	private int maxInFlight = 10_000;

	private List<Integer> servicePorts = List.of();

	private TestFetchProperties() {
	}

	static TestFetchProperties defaults() {
		return new TestFetchProperties();
	}

	TestFetchProperties connectTimeout(Duration timeout) {
		this.connectTimeout = timeout;
		return this;
	}

	TestFetchProperties readTimeout(Duration timeout) {
		this.readTimeout = timeout;
		return this;
	}

	TestFetchProperties maxRedirects(int max) {
		this.maxRedirects = max;
		return this;
	}

	TestFetchProperties allowedHosts(String... hosts) {
		this.allowedHosts = List.of(hosts);
		return this;
	}

	TestFetchProperties blockPrivateNetworks(boolean block) {
		this.blockPrivateNetworks = block;
		return this;
	}

	TestFetchProperties dnsTimeout(Duration timeout) {
		this.dnsTimeout = timeout;
		return this;
	}

	TestFetchProperties maxPerHost(int max) {
		this.maxPerHost = max;
		return this;
	}

	TestFetchProperties maxInFlight(int max) {
		this.maxInFlight = max;
		return this;
	}

	TestFetchProperties servicePorts(Integer... ports) {
		this.servicePorts = List.of(ports);
		return this;
	}

	FetchProperties build() {
		return new FetchProperties(this.connectTimeout, this.readTimeout, DataSize.ofMegabytes(10), this.maxRedirects,
				1000, "jobpool-test", this.allowedHosts, this.blockPrivateNetworks, this.dnsTimeout, this.maxPerHost,
				this.maxInFlight, this.servicePorts);
	}

}
