package dev.jobpool.job.web;

import tools.jackson.databind.cfg.ContextAttributes;

import java.util.Map;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.jobpool.job.JobProperties;
import dev.jobpool.web.LimitedListDeserializer;
import dev.jobpool.web.RequestBodyLimits;

/**
 * Derives the request limits of the job endpoints from the job limits: the body sizes the
 * request size filter enforces, and the list lengths {@link LimitedListDeserializer}
 * stops parsing at (through the JSON mapper's attributes).
 */
@Configuration(proxyBeanMethods = false)
class JobRequestLimitsConfiguration {

	private static final long OTHER_FIELDS = 1024;

	private static final long PER_ELEMENT = 16;

	/**
	 * A sum body needs at most the digits of every number plus separators; a fetch body
	 * every URL with its slashes escaped; a benchmark body carries one job request.
	 * @param properties the job limits
	 * @return the limits
	 */
	@Bean
	RequestBodyLimits jobRequestBodyLimits(JobProperties properties) {
		long sum = properties.maxNumbersPerJob() * (Long.toString(properties.maxN()).length() + PER_ELEMENT)
				+ OTHER_FIELDS;
		long fetch = properties.maxUrlsPerJob() * (2L * properties.maxUrlLength() + PER_ELEMENT) + OTHER_FIELDS;
		return new RequestBodyLimits(properties.maxRequestSize().toBytes(), Map.of("/api/jobs/sum", sum,
				"/api/jobs/fetch", fetch, "/api/benchmarks", Math.max(sum, fetch) + OTHER_FIELDS));
	}

	@Bean
	JsonMapperBuilderCustomizer jobListLimits(JobProperties limits) {
		return (builder) -> builder.defaultAttributes(ContextAttributes.getEmpty()
			.withSharedAttribute(LimitedListDeserializer.Numbers.LIMIT, limits.maxNumbersPerJob())
			.withSharedAttribute(LimitedListDeserializer.Urls.LIMIT, limits.maxUrlsPerJob()));
	}

}
