package dev.jobpool.warmup;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for binding and validating {@link WarmUpProperties}.
 */
class WarmUpPropertiesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void bindsDefaults() {
		this.contextRunner.run((context) -> assertThat(context.getBean(WarmUpProperties.class))
			.isEqualTo(new WarmUpProperties(true, 200, Duration.ofSeconds(15))));
	}

	@Test
	void bindsKebabCaseProperties() {
		this.contextRunner
			.withPropertyValues("jobpool.warmup.enabled=false", "jobpool.warmup.rounds=7",
					"jobpool.warmup.max-time=1500ms")
			.run((context) -> assertThat(context.getBean(WarmUpProperties.class))
				.isEqualTo(new WarmUpProperties(false, 7, Duration.ofMillis(1500))));
	}

	@Test
	void rejectsZeroRounds() {
		this.contextRunner.withPropertyValues("jobpool.warmup.rounds=0")
			.run((context) -> assertThat(context).getFailure().hasStackTraceContaining("rounds"));
	}

	@Test
	void rejectsZeroMaxTime() {
		this.contextRunner.withPropertyValues("jobpool.warmup.max-time=0s")
			.run((context) -> assertThat(context).getFailure().hasStackTraceContaining("max-time must be positive"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(WarmUpProperties.class)
	static class PropertiesConfiguration {

	}

}
