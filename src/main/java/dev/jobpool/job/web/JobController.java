package dev.jobpool.job.web;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.jobpool.job.Job;
import dev.jobpool.job.JobProperties;
import dev.jobpool.job.JobService;
import dev.jobpool.job.JobSpec;
import dev.jobpool.job.JobStatus;
import dev.jobpool.job.JobType;
import dev.jobpool.job.JobView;
import dev.jobpool.web.InvalidRequestException;

/**
 * Submits, shows, lists and cancels jobs.
 */
@RestController
@RequestMapping(path = "/api/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "jobs", description = "Sum and fetch jobs")
class JobController {

	private static final String CLASSIC_SUM = """
			{"numbers": [10000000, 10000000, 10000000], "executor": "auto", "timeoutMs": 60000}""";

	private static final String PYTHON_PAGES = """
			{"urls": ["https://www.python.org/", "https://docs.python.org/3/", "https://pypi.org/", \
			"https://www.python.org/about/"], "executor": "auto", "concurrency": 4, "timeoutMs": 10000}""";

	private static final String WAIT = "seconds to wait for the job to finish (0-60)";

	private static final String IDEMPOTENCY_KEY = "a retry with the same key and body gets the job the first "
			+ "request created; the same key with another body is a 422";

	private final JobService jobs;

	private final JobRequestValidator validator;

	private final JobProperties properties;

	private final JobEventStreams streams;

	JobController(JobService jobs, JobRequestValidator validator, JobProperties properties, JobEventStreams streams) {
		this.jobs = jobs;
		this.validator = validator;
		this.properties = properties;
		this.streams = streams;
	}

	@PostMapping(path = "/sum", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Submit a sum job",
			description = "One task per n, each adding up 0 … n-1 by iterating. Answers 202 with the job, or 200 "
					+ "with the finished job when ?wait is given and the job finishes in time.")
	@JobSubmissionResponses
	ResponseEntity<JobView> submitSum(
			@io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							schema = @Schema(implementation = SumJobRequest.class),
							examples = @ExampleObject(name = "classic", summary = "Three sums of 10,000,000",
									value = CLASSIC_SUM))) @RequestBody SumJobRequest request,
			@Parameter(description = WAIT) @RequestParam(required = false) @Nullable Integer wait,
			@Parameter(description = IDEMPOTENCY_KEY) @RequestHeader(name = "Idempotency-Key",
					required = false) @Nullable String idempotencyKey) {
		Duration waitFor = this.validator.waitFor(wait);
		return submitted(this.validator.sum(request), waitFor, this.validator.idempotencyKey(idempotencyKey));
	}

	@PostMapping(path = "/fetch", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Submit a fetch job",
			description = "One task per URL: GET it and read the body to the end, recording status, bytes, "
					+ "digest and timings. Answers 202 with the job, or 200 with the finished job when ?wait is "
					+ "given and the job finishes in time.")
	@JobSubmissionResponses
	ResponseEntity<JobView> submitFetch(
			@io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							schema = @Schema(implementation = FetchJobRequest.class),
							examples = @ExampleObject(name = "python.org", summary = "A few python.org pages",
									value = PYTHON_PAGES))) @RequestBody FetchJobRequest request,
			@Parameter(description = WAIT) @RequestParam(required = false) @Nullable Integer wait,
			@Parameter(description = IDEMPOTENCY_KEY) @RequestHeader(name = "Idempotency-Key",
					required = false) @Nullable String idempotencyKey) {
		Duration waitFor = this.validator.waitFor(wait);
		return submitted(this.validator.fetch(request), waitFor, this.validator.idempotencyKey(idempotencyKey));
	}

	private ResponseEntity<JobView> submitted(JobSpec spec, @Nullable Duration waitFor,
			@Nullable String idempotencyKey) {
		Job job = this.jobs.submit(spec, idempotencyKey);
		boolean finished = waitFor != null && this.jobs.await(job, waitFor);
		return ResponseEntity.status(finished ? HttpStatus.OK : HttpStatus.ACCEPTED)
			.location(URI.create("/api/jobs/" + job.id()))
			.body(job.view(true));
	}

	@GetMapping("/{id:(?!sum$|fetch$).+}")
	@Operation(summary = "Show a job with its tasks",
			description = "The job as it is now: status, progress, timing, result, and every task with its input, "
					+ "status, result or error, worker and timings. 404 once it is unknown or evicted.")
	@ApiResponse(responseCode = "200", description = "The job")
	@ApiResponse(responseCode = "404", description = "No such job, or it was evicted")
	JobView get(@PathVariable String id) {
		return this.jobs.view(id);
	}

	@GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	@Operation(summary = "Follow a job as Server-Sent Events",
			description = "One 'task' event per finished task, in completion order (tasks already done come "
					+ "first), each followed by a 'progress' event; then a 'job' event with the finished job, and "
					+ "the stream ends. A client that stops reading, or the slowest past jobpool.events.max-subscribers, "
					+ "is dropped (with a final 'dropped' event when it can still be written). Works with curl -N.")
	@ApiResponse(responseCode = "200", description = "The event stream")
	@ApiResponse(responseCode = "404", description = "No such job, or it was evicted")
	SseEmitter events(@PathVariable String id) {
		return this.streams.open(this.jobs.get(id));
	}

	@GetMapping
	@Operation(summary = "List jobs, newest first, without their tasks",
			description = "Jobs kept in the store, newest first, optionally only of one status or type, at most limit "
					+ "of them; each without its tasks (GET /api/jobs/{id} has them).")
	@ApiResponse(responseCode = "200", description = "The jobs")
	@ApiResponse(responseCode = "400", description = "Invalid request: the problem's errors name each field")
	JobList list(
			@Parameter(description = "queued, running, succeeded, failed or cancelled") @RequestParam(
					required = false) @Nullable String status,
			@Parameter(description = "sum or fetch") @RequestParam(required = false) @Nullable String type,
			@Parameter(description = "most jobs to list") @RequestParam(defaultValue = "50") int limit) {
		JobStatus statusFilter = (status != null)
				? JobStatus.fromId(status)
					.orElseThrow(() -> new InvalidRequestException("status",
							"must be one of queued, running, succeeded, failed, cancelled; was '" + status + "'"))
				: null;
		JobType typeFilter = (type != null)
				? JobType.fromId(type)
					.orElseThrow(() -> new InvalidRequestException("type", "must be sum or fetch; was '" + type + "'"))
				: null;
		if (limit < 1 || limit > this.properties.maxListLimit()) {
			throw new InvalidRequestException("limit",
					"must be between 1 and " + this.properties.maxListLimit() + ", was " + limit);
		}
		return new JobList(
				this.jobs.list(statusFilter, typeFilter, limit).stream().map((job) -> job.view(false)).toList());
	}

	@DeleteMapping("/{id:(?!sum$|fetch$).+}")
	@Operation(summary = "Cancel a queued or running job",
			description = "Tasks not started never run; running tasks are interrupted.")
	@ApiResponse(responseCode = "200", description = "The cancelled job")
	@ApiResponse(responseCode = "404", description = "No such job, or it was evicted")
	@ApiResponse(responseCode = "409", description = "The job has already finished")
	JobView cancel(@PathVariable String id) {
		return this.jobs.cancel(id).view(true);
	}

	/**
	 * A page of job summaries.
	 *
	 * @param jobs the jobs, newest first
	 */
	record JobList(List<JobView> jobs) {
	}

}
