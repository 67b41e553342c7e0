package dev.jobpool.fetch;

import java.time.Duration;

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
		});
	}

	@Test
	void bindsKebabCaseProperties() {
		this.contextRunner
			.withPropertyValues("jobpool.fetch.connect-timeout=2s", "jobpool.fetch.read-timeout=750ms",
					"jobpool.fetch.max-response-size=1KB", "jobpool.fetch.max-redirects=0",
					"jobpool.fetch.max-connections=20", "jobpool.fetch.user-agent=test/1")
			.run((context) -> assertThat(context.getBean(FetchProperties.class)).isEqualTo(new FetchProperties(
					Duration.ofSeconds(2), Duration.ofMillis(750), DataSize.ofKilobytes(1), 0, 20, "test/1")));
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
