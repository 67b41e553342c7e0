package dev.jobpool.web;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Describes the API in {@code /v3/api-docs} and Swagger UI.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	private static final String PROBLEM = "ProblemDetail";

	private static final String EVENT_STREAM = org.springframework.http.MediaType.TEXT_EVENT_STREAM_VALUE;

	/** Every answer of every operation, by status. */
	private static Stream<Map.Entry<String, ApiResponse>> responses(OpenAPI openApi) {
		if (openApi.getPaths() == null) {
			return Stream.empty();
		}
		return openApi.getPaths()
			.values()
			.stream()
			.flatMap((path) -> path.readOperations().stream())
			.filter((operation) -> operation.getResponses() != null)
			.flatMap((operation) -> operation.getResponses().entrySet().stream());
	}

	/**
	 * The problem as this service writes it: RFC 9457's members, {@code instance} as the
	 * relative reference it is, and the service's own {@code code} and {@code errors}.
	 * Written by hand because {@link org.springframework.http.ProblemDetail}'s bean shape
	 * (a {@code properties} map) is not what goes on the wire.
	 */
	private static Schema<?> problemSchema() {
		Schema<?> violation = new ObjectSchema().description("One invalid field")
			.addProperty("field", new StringSchema().description("the field, e.g. numbers[3]"))
			.addProperty("message", new StringSchema().description("what is wrong with it"))
			.required(List.of("field", "message"));
		return new ObjectSchema().description("An RFC 9457 problem with a stable code")
			.addProperty("type", new StringSchema().format("uri").description("urn:jobpool:problem:<code>"))
			.addProperty("title", new StringSchema())
			.addProperty("status", new IntegerSchema().format("int32"))
			.addProperty("detail", new StringSchema())
			.addProperty("instance", new StringSchema().format("uri-reference").description("the request's path"))
			.addProperty("code", new StringSchema().description("the stable error code, see the README's Errors"))
			.addProperty("errors", new ArraySchema().items(violation).description("each invalid field"))
			.required(List.of("type", "title", "status", "code"));
	}

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
	 * Describe a Server-Sent Events answer as the text stream it is, not as the
	 * {@code SseEmitter} object a controller returns to produce it.
	 * @return the customizer
	 */
	@Bean
	OpenApiCustomizer eventStreamsAsText() {
		return (openApi) -> {
			responses(openApi).map((response) -> response.getValue().getContent())
				.filter((content) -> content != null && content.containsKey(EVENT_STREAM))
				.forEach((content) -> content.addMediaType(EVENT_STREAM,
						new MediaType().schema(new StringSchema().description(
								"Server-Sent Events: 'event: <name>' and 'data: <JSON>' lines, a blank line after "
										+ "each event"))));
			if (openApi.getComponents() != null && openApi.getComponents().getSchemas() != null) {
				openApi.getComponents().getSchemas().remove("SseEmitter");
			}
		};
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
			openApi.getComponents().addSchemas(PROBLEM, problemSchema());
			Content problem = new Content().addMediaType(
					org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					new MediaType().schema(new Schema<>().$ref(PROBLEM)));
			responses(openApi)
				.filter((response) -> response.getKey().startsWith("4") || response.getKey().startsWith("5"))
				.forEach((response) -> response.getValue().setContent(problem));
		};
	}

}
