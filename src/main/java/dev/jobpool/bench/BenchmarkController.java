package dev.jobpool.bench;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.jobpool.job.JobSpecValidator;
import dev.jobpool.web.InvalidRequestException;

/**
 * Submits, shows, charts, lists and cancels benchmarks.
 */
@RestController
@RequestMapping(path = "/api/benchmarks", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "benchmarks", description = "The same job on several executors, one run at a time, compared")
class BenchmarkController {

	static final String SVG = "image/svg+xml";

	private static final String CLASSIC = """
			{"job": {"type": "sum", "numbers": [10000000, 10000000, 10000000]}, \
			"executors": ["sequential", "platform", "virtual", "process", "spawn"], "repeat": 3, "warmup": 1}""";

	private static final String PYTHON_PAGES = """
			{"job": {"type": "fetch", "urls": ["https://www.python.org/", "https://docs.python.org/3/", \
			"https://pypi.org/", "https://www.python.org/about/"], "concurrency": 4, "timeoutMs": 10000}, \
			"executors": ["sequential", "platform", "virtual"], "repeat": 3, "warmup": 1}""";

	private static final int DEFAULT_LIST_LIMIT = 20;

	private static final Map<String, Boolean> PONG = Map.of("pong", true);

	private final BenchmarkService benchmarks;

	private final BenchmarkRequestValidator validator;

	private final JobSpecValidator jobValidator;

	private final BenchmarkProperties properties;

	BenchmarkController(BenchmarkService benchmarks, BenchmarkRequestValidator validator, JobSpecValidator jobValidator,
			BenchmarkProperties properties) {
		this.benchmarks = benchmarks;
		this.validator = validator;
		this.jobValidator = jobValidator;
		this.properties = properties;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Submit a benchmark",
			description = "Runs the job on each executor in turn (warm-ups first, not counted), one run at a time and "
					+ "one benchmark at a time service-wide; each run is a real job. Answers 202 with the benchmark, "
					+ "or 200 with the finished benchmark when ?wait is given and it finishes in time.")
	@ApiResponse(responseCode = "202", description = "Accepted; Location names the benchmark")
	@ApiResponse(responseCode = "200", description = "Finished within ?wait seconds")
	@ApiResponse(responseCode = "400", description = "Invalid request: the problem's errors name each field")
	@ApiResponse(responseCode = "429", description = "Too many benchmarks queued; see Retry-After")
	@ApiResponse(responseCode = "503", description = "Shutting down; see Retry-After")
	ResponseEntity<BenchmarkView> submit(
			@io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							schema = @Schema(implementation = BenchmarkRequest.class),
							examples = {
									@ExampleObject(name = "classic",
											summary = "Three sums of 10,000,000 on every executor", value = CLASSIC),
									@ExampleObject(name = "python.org", summary = "A few python.org pages on threads",
											value = PYTHON_PAGES) })) @RequestBody BenchmarkRequest request,
			@Parameter(description = "seconds to wait for the benchmark to finish (0-60)") @RequestParam(
					required = false) @Nullable Integer wait) {
		Duration waitFor = this.jobValidator.waitFor(wait);
		Benchmark benchmark = this.benchmarks.submit(this.validator.plan(request));
		boolean finished = waitFor != null && this.benchmarks.await(benchmark, waitFor);
		return ResponseEntity.status(finished ? HttpStatus.OK : HttpStatus.ACCEPTED)
			.location(URI.create("/api/benchmarks/" + benchmark.id()))
			.body(benchmark.view(true));
	}

	@GetMapping("/{id}")
	@Operation(summary = "Show a benchmark with its results so far",
			description = "With ?wait, answers once the benchmark has finished or the wait is over, whichever "
					+ "comes first: a long poll instead of many short ones.")
	@ApiResponse(responseCode = "200", description = "The benchmark")
	@ApiResponse(responseCode = "404", description = "No such benchmark, or it was evicted")
	BenchmarkView get(@PathVariable String id,
			@Parameter(description = "seconds to wait for the benchmark to finish (0-60)") @RequestParam(
					required = false) @Nullable Integer wait) {
		Duration waitFor = this.jobValidator.waitFor(wait);
		Benchmark benchmark = this.benchmarks.get(id);
		if (waitFor != null) {
			this.benchmarks.await(benchmark, waitFor);
		}
		return benchmark.view(true);
	}

	@GetMapping(path = "/{id}/chart.svg", produces = SVG)
	@Operation(summary = "Chart a benchmark as SVG",
			description = "Median wall time by executor, with the fastest and slowest run, the speedup against "
					+ "sequential and the fastest executor highlighted. An unfinished benchmark shows what is done.")
	@ApiResponse(responseCode = "200", description = "The chart", content = @Content(mediaType = SVG))
	@ApiResponse(responseCode = "404", description = "No such benchmark, or it was evicted")
	ResponseEntity<String> chart(@PathVariable String id) {
		BenchmarkView benchmark = this.benchmarks.get(id).view(true);
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(SVG))
			.cacheControl(benchmark.status().isFinished() ? CacheControl.noCache() : CacheControl.noStore())
			.body(BenchmarkChart.render(benchmark));
	}

	@GetMapping
	@Operation(summary = "List benchmarks, newest first, without their jobs' inputs",
			description = "Every benchmark kept (the oldest finished ones go first past jobpool.benchmarks.max-kept), "
					+ "newest first, each with its status and results so far.")
	@ApiResponse(responseCode = "200", description = "The benchmarks")
	@ApiResponse(responseCode = "400", description = "Invalid request: the problem's errors name each field")
	BenchmarkList list(@Parameter(description = "most benchmarks to list") @RequestParam(
			defaultValue = "" + DEFAULT_LIST_LIMIT) int limit) {
		if (limit < 1 || limit > this.properties.maxKept()) {
			throw new InvalidRequestException("limit",
					"must be between 1 and " + this.properties.maxKept() + ", was " + limit);
		}
		return new BenchmarkList(
				this.benchmarks.list(limit).stream().map((benchmark) -> benchmark.view(false)).toList());
	}

	@DeleteMapping("/{id}")
	@Operation(summary = "Cancel a queued or running benchmark",
			description = "No more runs start; the job of the run going on is cancelled. The results so far stay.")
	@ApiResponse(responseCode = "200", description = "The cancelled benchmark")
	@ApiResponse(responseCode = "404", description = "No such benchmark, or it was evicted")
	@ApiResponse(responseCode = "409", description = "The benchmark has already finished")
	BenchmarkView cancel(@PathVariable String id) {
		return this.benchmarks.cancel(id).view(true);
	}

	@GetMapping("/ping")
	@Operation(summary = "Answer at once, doing nothing",
			description = "The baseline of the overhead benchmark: an API request through the same filters and "
					+ "JSON writer as a job request, with no job behind it.")
	@ApiResponse(responseCode = "200", description = "Always")
	Map<String, Boolean> ping() {
		return PONG;
	}

	/**
	 * A page of benchmarks.
	 *
	 * @param benchmarks the benchmarks, newest first
	 */
	record BenchmarkList(List<BenchmarkView> benchmarks) {
	}

}
