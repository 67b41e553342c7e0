package dev.jobpool.fetch;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for binding and validating {@link FetchProperties}.
 */
class FetchPropertiesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void bindsDefaults() {
		this.contextRunner.run((context) -> {
			FetchProperties properties = context.getBean(FetchProperties.class);
			assertThat(properties.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(properties.readTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.maxResponseSize()).isEqualTo(DataSize.ofMegabytes(10));
			assertThat(properties.maxRedirects()).isEqualTo(5);
			assertThat(properties.maxConnections()).isEqualTo(10000);
			assertThat(properties.userAgent()).isEqualTo("jobpool/0.1");
			assertThat(properties.allowedHosts()).isEmpty();
			assertThat(properties.blockPrivateNetworks()).isTrue();
			assertThat(properties.dnsTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(properties.maxPerHost()).isEqualTo(64);
			assertThat(properties.maxInFlight()).isEqualTo(10000);
			assertThat(properties.servicePorts()).isEmpty();
		});
	}

	@Test
	void bindsKebabCaseProperties() {
		this.contextRunner
			.withPropertyValues("jobpool.fetch.connect-timeout=2s", "jobpool.fetch.read-timeout=750ms",
					"jobpool.fetch.max-response-size=1KB", "jobpool.fetch.max-redirects=0",
					"jobpool.fetch.max-connections=20", "jobpool.fetch.user-agent=test/1",
					"jobpool.fetch.allowed-hosts=127.0.0.1,intranet.example,10.1.0.0/16",
					"jobpool.fetch.block-private-networks=false", "jobpool.fetch.dns-timeout=1500ms",
					"jobpool.fetch.max-per-host=8", "jobpool.fetch.max-in-flight=500",
					"jobpool.fetch.service-ports=443,8443")
			.run((context) -> assertThat(context.getBean(FetchProperties.class))
				.isEqualTo(new FetchProperties(Duration.ofSeconds(2), Duration.ofMillis(750), DataSize.ofKilobytes(1),
						0, 20, "test/1", List.of("127.0.0.1", "intranet.example", "10.1.0.0/16"), false,
						Duration.ofMillis(1500), 8, 500, List.of(443, 8443))));
	}

	@Test
	void rejectsInvalidAllowedHost() {
		this.contextRunner.withPropertyValues("jobpool.fetch.allowed-hosts=10.0.0.0/33")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining(
						"jobpool.fetch.allowed-hosts: '10.0.0.0/33' is neither a host name nor an IP address or CIDR block"));
	}

	@Test
	void rejectsZeroDnsTimeout() {
		this.contextRunner.withPropertyValues("jobpool.fetch.dns-timeout=0s")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("jobpool.fetch.dns-timeout must be positive"));
	}

	@Test
	void rejectsZeroPerHostCap() {
		this.contextRunner.withPropertyValues("jobpool.fetch.max-per-host=0")
			.run((context) -> assertThat(context).getFailure().hasStackTraceContaining("maxPerHost"));
	}

	@Test
	void rejectsInvalidServicePort() {
		this.contextRunner.withPropertyValues("jobpool.fetch.service-ports=70000")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("jobpool.fetch.service-ports must be ports between 1 and 65535"));
	}

	@Test
	void rejectsNegativeRedirects() {
		this.contextRunner.withPropertyValues("jobpool.fetch.max-redirects=-1")
			.run((context) -> assertThat(context).getFailure().hasStackTraceContaining("maxRedirects"));
	}

	@Test
	void rejectsZeroConnections() {
		this.contextRunner.withPropertyValues("jobpool.fetch.max-connections=0")
			.run((context) -> assertThat(context).getFailure().hasStackTraceContaining("maxConnections"));
	}

	@Test
	void rejectsBlankUserAgent() {
		this.contextRunner.withPropertyValues("jobpool.fetch.user-agent= ")
			.run((context) -> assertThat(context).getFailure().hasStackTraceContaining("userAgent"));
	}

	@Test
	void rejectsZeroTimeout() {
		this.contextRunner.withPropertyValues("jobpool.fetch.read-timeout=0s")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("jobpool.fetch.read-timeout must be positive"));
	}

	@Test
	void rejectsZeroResponseSize() {
		this.contextRunner.withPropertyValues("jobpool.fetch.max-response-size=0B")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("jobpool.fetch.max-response-size must be positive"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(FetchProperties.class)
	static class PropertiesConfiguration {

	}

}
