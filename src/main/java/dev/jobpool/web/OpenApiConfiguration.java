package dev.jobpool.web;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;

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
					+ "(`sequential`: one thread; `platform`: a pool of platform threads; `virtual`: virtual threads; "
					+ "`process`: a pool of worker JVMs; `spawn`: a fresh JVM per task; `auto`, the default: "
					+ "the service chooses) and answers with exact results, "
					+ "per-task timings and Prometheus metrics. Every error is an RFC 9457 problem with a stable "
					+ "`code`.")
			.contact(new Contact().name("jobpool maintainers"))
			.license(new License().name("Apache-2.0").url("https://www.apache.org/licenses/LICENSE-2.0")));
	}

	/**
	 * Give every 4xx and 5xx answer the body it has: an RFC 9457 problem. Left alone,
	 * springdoc describes every answer of an operation with the operation's return type,
	 * a job where there is a problem; with this, the controllers document an error by its
	 * status and meaning alone.
	 * @return the customizer
	 */
	@Bean
	OpenApiCustomizer problemBodiesForErrorResponses() {
		return (openApi) -> {
			if (openApi.getComponents() == null) {
				openApi.setComponents(new Components());
			}
			ModelConverters.getInstance().read(ProblemDetail.class).forEach(openApi.getComponents()::addSchemas);
			Content problem = new Content().addMediaType(
					org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					new MediaType().schema(new Schema<>().$ref(ProblemDetail.class.getSimpleName())));
			if (openApi.getPaths() == null) {
				return;
			}
			openApi.getPaths()
				.values()
				.stream()
				.flatMap((path) -> path.readOperations().stream())
				.filter((operation) -> operation.getResponses() != null)
				.flatMap((operation) -> operation.getResponses().entrySet().stream())
				.filter((response) -> response.getKey().startsWith("4") || response.getKey().startsWith("5"))
				.forEach((response) -> response.getValue().setContent(problem));
		};
	}

}
