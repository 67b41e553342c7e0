package dev.jobpool.web;

import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import dev.jobpool.job.JobProperties;
import dev.jobpool.security.SecurityProperties;

/**
 * What a {@code @WebMvcTest} slice of one controller needs from the shared web package
 * beyond the {@link ApiExceptionHandler advice} and filters the slice finds by itself:
 * the problem writer, a meter registry for its counters, and the settings that the
 * filters and the job request validator read.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(ProblemResponses.class)
@EnableConfigurationProperties({ JobProperties.class, SecurityProperties.class })
public class WebSliceConfiguration {

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

	/**
	 * The overall cap only: the per-path limits are the job feature's, tested over real
	 * HTTP.
	 */
	@Bean
	RequestBodyLimits requestBodyLimits(JobProperties properties) {
		return new RequestBodyLimits(properties.maxRequestSize().toBytes(), Map.of());
	}

}
