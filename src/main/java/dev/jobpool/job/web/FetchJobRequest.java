package dev.jobpool.job.web;

import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

import dev.jobpool.web.LimitedListDeserializer;

/**
 * A request for a fetch job: one task per URL, each GETting it and reading the body to
 * the end.
 *
 * @param urls the http or https URL of each task
 * @param executor {@code auto} or an executor's name
 * @param concurrency most of the job's tasks that run at once
 * @param timeoutMs each task's deadline in milliseconds, the whole fetch included
 * @param callback where to POST the job once it has ended, if anywhere
 */
record FetchJobRequest(
		@ArraySchema(schema = @Schema(description = "an http or https URL", example = "https://www.python.org/"),
				minItems = 1) @JsonDeserialize(
						using = LimitedListDeserializer.Urls.class) @Nullable List<@Nullable String> urls,
		@Schema(description = "auto, sequential, platform or virtual", defaultValue = "auto",
				example = "auto") @Nullable String executor,
		@Schema(description = "most of the job's tasks that run at once (never more than the executor can run)",
				minimum = "1", example = "4") @Nullable Integer concurrency,
		@Schema(description = "each task's deadline in milliseconds, the whole fetch included",
				example = "10000") @Nullable Long timeoutMs,
		@Schema(description = "POST the job here once it has ended") @Nullable CallbackRequest callback) {
}
