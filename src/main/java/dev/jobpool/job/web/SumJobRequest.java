package dev.jobpool.job.web;

import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

import dev.jobpool.web.LimitedListDeserializer;

/**
 * A request for a sum job: one task per number n, each adding up 0 … n-1.
 *
 * @param numbers the n of each task
 * @param executor {@code auto} or an executor's name
 * @param concurrency most of the job's tasks that run at once
 * @param timeoutMs each task's deadline in milliseconds
 * @param callback where to POST the job once it has ended, if anywhere
 */
record SumJobRequest(
		@ArraySchema(schema = @Schema(description = "n: the task adds up 0 … n-1", minimum = "0", example = "10000000"),
				minItems = 1) @JsonDeserialize(
						using = LimitedListDeserializer.Numbers.class) @Nullable List<@Nullable Long> numbers,
		@Schema(description = "auto, sequential, platform or virtual", defaultValue = "auto",
				example = "auto") @Nullable String executor,
		@Schema(description = "most of the job's tasks that run at once (never more than the executor can run)",
				minimum = "1", example = "2") @Nullable Integer concurrency,
		@Schema(description = "each task's deadline in milliseconds", example = "60000") @Nullable Long timeoutMs,
		@Schema(description = "POST the job here once it has ended") @Nullable CallbackRequest callback) {
}
