package dev.jobpool.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;

import org.springframework.boot.info.BuildProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Describes the API in {@code /v3/api-docs} and Swagger UI.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	@Bean
	OpenAPI jobpoolOpenApi(ObjectProvider<BuildProperties> build) {
		BuildProperties properties = build.getIfAvailable();
		return new OpenAPI().info(new Info().title("jobpool")
			.version((properties != null) ? properties.getVersion() : "dev")
			.description("Runs CPU-bound sum jobs and IO-bound fetch jobs on the executor that suits them "
					+ "(sequential, platform threads, virtual threads, or auto) and answers with exact results, "
					+ "per-task timings and Prometheus metrics. Every error is an RFC 9457 problem with a stable "
					+ "`code`.")
			.license(new License().name("Apache-2.0")));
	}

}
