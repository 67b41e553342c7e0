package dev.jobpool.job.web;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.execution.ExecutorRouter;
import dev.jobpool.job.Job;
import dev.jobpool.job.JobAlreadyFinishedException;
import dev.jobpool.job.JobNotFoundException;
import dev.jobpool.job.JobService;
import dev.jobpool.job.JobSpec;
import dev.jobpool.job.JobSpecValidator;
import dev.jobpool.job.JobStatus;
import dev.jobpool.job.JobType;
import dev.jobpool.job.JobView;
import dev.jobpool.job.QueueFullException;
import dev.jobpool.web.WebSliceConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * The HTTP contract of {@link JobController} alone: the web layer with a mocked
 * {@link JobService}.
 */
@WebMvcTest(JobController.class)
@Import({ WebSliceConfiguration.class, JobRequestValidator.class, JobSpecValidator.class, ExecutorRouter.class })
class JobControllerTests {

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private JobService jobs;

	/**
	 * The event stream's contract is JobEventsTests' and JobEventBoundsTests', over real
	 * HTTP.
	 */
	@MockitoBean
	private JobEventStreams eventStreams;

	@Test
	void sumSubmissionIsAcceptedWithItsLocation() {
		Job job = mock(Job.class);
		given(job.id()).willReturn("job-42");
		given(job.view(true)).willReturn(view("job-42"));
		given(this.jobs.submit(any(), isNull())).willReturn(job);

		assertThat(this.mvc.post()
			.uri("/api/jobs/sum")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"numbers\": [10, 20], \"executor\": \"platform\", \"concurrency\": 2, \"timeoutMs\": 5000}"))
			.hasStatus(HttpStatus.ACCEPTED)
			.hasHeader(HttpHeaders.LOCATION, "/api/jobs/job-42")
			.bodyJson()
			.hasPathSatisfying("$.id", (id) -> id.assertThat().isEqualTo("job-42"))
			.hasPathSatisfying("$.status", (status) -> status.assertThat().isEqualTo("queued"))
			.hasPathSatisfying("$.executor", (executor) -> executor.assertThat().isEqualTo("platform"));

		ArgumentCaptor<JobSpec> spec = ArgumentCaptor.forClass(JobSpec.class);
		verify(this.jobs).submit(spec.capture(), isNull());
		assertThat(spec.getValue()).isEqualTo(
				new JobSpec.Sum(List.of(10L, 20L), new JobSpec.JobOptions("platform", 2, Duration.ofMillis(5000))));
	}

	@Test
	void waitThatFinishesInTimeAnswersOk() {
		Job job = mock(Job.class);
		given(job.id()).willReturn("job-7");
		given(job.view(true)).willReturn(view("job-7"));
		given(this.jobs.submit(any(), eq("key-1"))).willReturn(job);
		given(this.jobs.await(job, Duration.ofSeconds(5))).willReturn(true);

		assertThat(this.mvc.post()
			.uri("/api/jobs/fetch?wait=5")
			.header("Idempotency-Key", "key-1")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"urls\": [\"http://127.0.0.1:9/\"]}")).hasStatus(HttpStatus.OK)
			.hasHeader(HttpHeaders.LOCATION, "/api/jobs/job-7");
	}

	@Test
	void invalidBodyIsAProblemNamingTheField() {
		assertThat(this.mvc.post()
			.uri("/api/jobs/sum")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"numbers\": [5, -1]}")).hasStatus(HttpStatus.BAD_REQUEST)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.hasPathSatisfying("$.code", (code) -> code.assertThat().isEqualTo("invalid_request"))
			.hasPathSatisfying("$.status", (status) -> status.assertThat().isEqualTo(400))
			.hasPathSatisfying("$.errors[0].field", (field) -> field.assertThat().isEqualTo("numbers[1]"));
		verifyNoInteractions(this.jobs);
	}

	@Test
	void unknownExecutorIsAProblemNamingTheField() {
		assertThat(this.mvc.post()
			.uri("/api/jobs/fetch")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"urls\": [\"http://127.0.0.1:9/\"], \"executor\": \"gpu\"}")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.hasPathSatisfying("$.errors[*].field", (fields) -> fields.assertThat().asList().contains("executor"));
	}

	@Test
	void malformedJsonIsAProblem() {
		assertThat(
				this.mvc.post().uri("/api/jobs/sum").contentType(MediaType.APPLICATION_JSON).content("{\"numbers\": ["))
			.hasStatus(HttpStatus.BAD_REQUEST)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.hasPathSatisfying("$.code", (code) -> code.assertThat().isEqualTo("invalid_request"));
	}

	@Test
	void textBodyIsUnsupported() {
		assertThat(this.mvc.post().uri("/api/jobs/sum").contentType(MediaType.TEXT_PLAIN).content("numbers=1"))
			.hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.hasPathSatisfying("$.code", (code) -> code.assertThat().isEqualTo("unsupported_media_type"));
		verifyNoInteractions(this.jobs);
	}

	@Test
	void fullQueueIsTooManyRequestsWithRetryAfter() {
		given(this.jobs.submit(any(), isNull())).willThrow(new QueueFullException(3, 100, 100, Duration.ofSeconds(7)));

		assertThat(this.mvc.post()
			.uri("/api/jobs/sum")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"numbers\": [1, 2, 3]}")).hasStatus(HttpStatus.TOO_MANY_REQUESTS)
			.hasHeader(HttpHeaders.RETRY_AFTER, "7")
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.hasPathSatisfying("$.code", (code) -> code.assertThat().isEqualTo("queue_full"));
	}

	@Test
	void unknownJobIsNotFound() {
		given(this.jobs.view("nope")).willThrow(new JobNotFoundException("nope"));

		assertThat(this.mvc.get().uri("/api/jobs/nope")).hasStatus(HttpStatus.NOT_FOUND)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.hasPathSatisfying("$.code", (code) -> code.assertThat().isEqualTo("job_not_found"));
	}

	@Test
	void knownJobIsShownWithItsTasks() {
		given(this.jobs.view("job-1")).willReturn(view("job-1"));

		assertThat(this.mvc.get().uri("/api/jobs/job-1")).hasStatusOk()
			.bodyJson()
			.hasPathSatisfying("$.id", (id) -> id.assertThat().isEqualTo("job-1"))
			.hasPathSatisfying("$.result.total", (total) -> total.assertThat().isEqualTo(235));
	}

	@Test
	void cancellingAFinishedJobIsAConflict() {
		given(this.jobs.cancel("done")).willThrow(new JobAlreadyFinishedException("done", JobStatus.SUCCEEDED));

		assertThat(this.mvc.delete().uri("/api/jobs/done")).hasStatus(HttpStatus.CONFLICT)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.hasPathSatisfying("$.code", (code) -> code.assertThat().isEqualTo("job_already_finished"));
	}

	@Test
	void cancellingAnUnknownJobIsNotFound() {
		given(this.jobs.cancel("gone")).willThrow(new JobNotFoundException("gone"));

		assertThat(this.mvc.delete().uri("/api/jobs/gone")).hasStatus(HttpStatus.NOT_FOUND)
			.bodyJson()
			.hasPathSatisfying("$.code", (code) -> code.assertThat().isEqualTo("job_not_found"));
	}

	@Test
	void listWithAnUnknownStatusIsAProblemNamingTheParameter() {
		assertThat(this.mvc.get().uri("/api/jobs?status=paused")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.hasPathSatisfying("$.errors[0].field", (field) -> field.assertThat().isEqualTo("status"));
		verifyNoInteractions(this.jobs);
	}

	@Test
	void listPassesItsFiltersToTheService() {
		Job job = mock(Job.class);
		given(job.view(false)).willReturn(view("job-9"));
		given(this.jobs.list(JobStatus.FAILED, JobType.FETCH, 5)).willReturn(List.of(job));

		assertThat(this.mvc.get().uri("/api/jobs?status=failed&type=fetch&limit=5")).hasStatusOk()
			.bodyJson()
			.hasPathSatisfying("$.jobs[0].id", (id) -> id.assertThat().isEqualTo("job-9"));
	}

	private static JobView view(String id) {
		return new JobView(id, JobType.SUM, ExecutorKind.PLATFORM, "platform", new JobView.RoutingView("requested"), 2,
				null, "platform runs at most 2 tasks at once (2 workers)", 5000, JobStatus.QUEUED, null,
				Instant.parse("2026-01-01T00:00:00Z"), null, null, new JobView.Progress(2, 0, 0, 0),
				new JobView.Timing(null, 0, 0, null), List.of(), new JobView.SumResult(BigInteger.valueOf(235)), null);
	}

}
