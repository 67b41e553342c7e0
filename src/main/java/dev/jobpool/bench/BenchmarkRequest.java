package dev.jobpool.bench;

import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

import dev.jobpool.web.LimitedListDeserializer;

/**
 * A request for a benchmark: one job, run on each executor in turn.
 *
 * @param job the job every run submits
 * @param executors the executors to compare, in the order they run; all five when absent
 * @param repeat counted runs per executor
 * @param warmup runs per executor before the counted ones, not counted
 */
record BenchmarkRequest(@Schema(description = "the job every run submits (without an executor)") @Nullable Job job,
		@ArraySchema(
				schema = @Schema(description = "sequential, platform, virtual, process or spawn (not auto)",
						example = "platform"),
				minItems = 1, uniqueItems = true) @Nullable List<@Nullable String> executors,
		@Schema(description = "counted runs per executor", minimum = "1", maximum = "20", defaultValue = "3",
				example = "3") @Nullable Integer repeat,
		@Schema(description = "runs per executor before the counted ones", minimum = "0", maximum = "5",
				defaultValue = "1", example = "1") @Nullable Integer warmup) {

	/**
	 * The job of a benchmark: a sum job or a fetch job as {@code POST /api/jobs/{type}}
	 * takes it, with its type and without its executor.
	 *
	 * @param type {@code sum} or {@code fetch}
	 * @param numbers the n of each task, for a sum job
	 * @param urls the URL of each task, for a fetch job
	 * @param concurrency most of the job's tasks that run at once
	 * @param timeoutMs each task's deadline in milliseconds
	 */
	@Schema(name = "BenchmarkJob")
	record Job(@Schema(description = "sum or fetch", example = "sum") @Nullable String type,
			@ArraySchema(schema = @Schema(description = "n: the task adds up 0 … n-1 (sum jobs)", minimum = "0",
					example = "10000000")) @JsonDeserialize(
							using = LimitedListDeserializer.Numbers.class) @Nullable List<@Nullable Long> numbers,
			@ArraySchema(schema = @Schema(description = "an http or https URL (fetch jobs)",
					example = "https://www.python.org/")) @JsonDeserialize(
							using = LimitedListDeserializer.Urls.class) @Nullable List<@Nullable String> urls,
			@Schema(description = "most of the job's tasks that run at once (never more than the executor can run)",
					minimum = "1", example = "4") @Nullable Integer concurrency,
			@Schema(description = "each task's deadline in milliseconds", example = "60000") @Nullable Long timeoutMs) {
	}

}
