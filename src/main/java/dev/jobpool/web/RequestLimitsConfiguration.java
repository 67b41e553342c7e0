package dev.jobpool.web;

import tools.jackson.databind.cfg.ContextAttributes;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.jobpool.job.JobProperties;

/**
 * Hands the job limits to {@link LimitedListDeserializer} through the JSON mapper's
 * attributes.
 */
@Configuration(proxyBeanMethods = false)
class RequestLimitsConfiguration {

	@Bean
	JsonMapperBuilderCustomizer jobListLimits(JobProperties limits) {
		return (builder) -> builder.defaultAttributes(ContextAttributes.getEmpty()
			.withSharedAttribute(LimitedListDeserializer.Numbers.LIMIT, limits.maxNumbersPerJob())
			.withSharedAttribute(LimitedListDeserializer.Urls.LIMIT, limits.maxUrlsPerJob()));
	}

}
