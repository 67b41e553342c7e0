package dev.jobpool.bench;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.execution.ExecutorRouter;
import dev.jobpool.job.JobSpec;
import dev.jobpool.job.JobSpecValidator;
import dev.jobpool.web.WebSliceConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * The HTTP contract of {@link BenchmarkController} alone: the web layer with a mocked
 * {@link BenchmarkService}.
 */
@WebMvcTest(BenchmarkController.class)
@Import({ WebSliceConfiguration.class, BenchmarkRequestValidator.class, JobSpecValidator.class, ExecutorRouter.class })
@EnableConfigurationProperties(BenchmarkProperties.class)
class BenchmarkControllerTests {

	private static final BenchmarkPlan PLAN = new BenchmarkPlan(
			new JobSpec.Sum(List.of(1000L, 2000L), new JobSpec.JobOptions("sequential", null, Duration.ofMinutes(1))),
			List.of(ExecutorKind.SEQUENTIAL, ExecutorKind.VIRTUAL), 2, 0);

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private BenchmarkService benchmarks;

	@Test
	void submissionIsAcceptedWithItsLocation() {
		given(this.benchmarks.submit(any())).willReturn(new Benchmark("bench-1", PLAN));

		assertThat(this.mvc.post()
			.uri("/api/benchmarks")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"job\": {\"type\": \"sum\", \"numbers\": [1000, 2000]}, "
					+ "\"executors\": [\"sequential\", \"virtual\"], \"repeat\": 2, \"warmup\": 0}"))
			.hasStatus(HttpStatus.ACCEPTED)
			.hasHeader(HttpHeaders.LOCATION, "/api/benchmarks/bench-1")
			.bodyJson()
			.hasPathSatisfying("$.id", (id) -> id.assertThat().isEqualTo("bench-1"))
			.hasPathSatisfying("$.status", (status) -> status.assertThat().isEqualTo("queued"))
			.hasPathSatisfying("$.request.executors",
					(executors) -> executors.assertThat().asList().containsExactly("sequential", "virtual"));

		ArgumentCaptor<BenchmarkPlan> plan = ArgumentCaptor.forClass(BenchmarkPlan.class);
		verify(this.benchmarks).submit(plan.capture());
		assertThat(plan.getValue().executors()).containsExactly(ExecutorKind.SEQUENTIAL, ExecutorKind.VIRTUAL);
		assertThat(plan.getValue().repeat()).isEqualTo(2);
		assertThat(plan.getValue().warmup()).isZero();
		assertThat(plan.getValue().job()).isInstanceOfSatisfying(JobSpec.Sum.class,
				(sum) -> assertThat(sum.numbers()).containsExactly(1000L, 2000L));
	}

	@Test
	void invalidBodyIsAProblemNamingEachField() {
		assertThat(this.mvc.post()
			.uri("/api/benchmarks")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"job\": {\"type\": \"sum\", \"numbers\": [-5]}, \"executors\": [\"auto\"]}"))
			.hasStatus(HttpStatus.BAD_REQUEST)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.hasPathSatisfying("$.code", (code) -> code.assertThat().isEqualTo("invalid_request"))
			.hasPathSatisfying("$.errors[*].field",
					(fields) -> fields.assertThat().asList().contains("job.numbers[0]", "executors[0]"));
		verifyNoInteractions(this.benchmarks);
	}

	@Test
	void missingJobIsAProblemNamingIt() {
		assertThat(this.mvc.post().uri("/api/benchmarks").contentType(MediaType.APPLICATION_JSON).content("{}"))
			.hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.hasPathSatisfying("$.errors[0].field", (field) -> field.assertThat().isEqualTo("job"));
	}

	@Test
	void textBodyIsUnsupported() {
		assertThat(this.mvc.post().uri("/api/benchmarks").contentType(MediaType.TEXT_PLAIN).content("job"))
			.hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.bodyJson()
			.hasPathSatisfying("$.code", (code) -> code.assertThat().isEqualTo("unsupported_media_type"));
	}

	@Test
	void fullQueueIsTooManyRequestsWithRetryAfter() {
		given(this.benchmarks.submit(any())).willThrow(new BenchmarkQueueFullException(10, Duration.ofSeconds(30)));

		assertThat(this.mvc.post()
			.uri("/api/benchmarks")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"job\": {\"type\": \"sum\", \"numbers\": [1]}}")).hasStatus(HttpStatus.TOO_MANY_REQUESTS)
			.hasHeader(HttpHeaders.RETRY_AFTER, "30")
			.bodyJson()
			.hasPathSatisfying("$.code", (code) -> code.assertThat().isEqualTo("benchmark_queue_full"));
	}

	@Test
	void unknownBenchmarkIsNotFound() {
		given(this.benchmarks.get("nope")).willThrow(new BenchmarkNotFoundException("nope"));

		assertThat(this.mvc.get().uri("/api/benchmarks/nope")).hasStatus(HttpStatus.NOT_FOUND)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.hasPathSatisfying("$.code", (code) -> code.assertThat().isEqualTo("benchmark_not_found"));
	}

	@Test
	void knownBenchmarkIsShown() {
		given(this.benchmarks.get("bench-2")).willReturn(new Benchmark("bench-2", PLAN));

		assertThat(this.mvc.get().uri("/api/benchmarks/bench-2")).hasStatusOk()
			.bodyJson()
			.hasPathSatisfying("$.id", (id) -> id.assertThat().isEqualTo("bench-2"))
			.hasPathSatisfying("$.request.job.numbers",
					(numbers) -> numbers.assertThat().asList().containsExactly(1000, 2000));
	}

	@Test
	void chartIsSvgThatIsNotCachedWhileRunning() {
		given(this.benchmarks.get("bench-3")).willReturn(new Benchmark("bench-3", PLAN));

		assertThat(this.mvc.get().uri("/api/benchmarks/bench-3/chart.svg")).hasStatusOk()
			.hasContentType("image/svg+xml")
			.hasHeader(HttpHeaders.CACHE_CONTROL, "no-store")
			.bodyText()
			.contains("<svg");
	}

	@Test
	void cancellingAFinishedBenchmarkIsAConflict() {
		given(this.benchmarks.cancel("done"))
			.willThrow(new BenchmarkAlreadyFinishedException("done", BenchmarkStatus.SUCCEEDED));

		assertThat(this.mvc.delete().uri("/api/benchmarks/done")).hasStatus(HttpStatus.CONFLICT)
			.bodyJson()
			.hasPathSatisfying("$.code", (code) -> code.assertThat().isEqualTo("benchmark_already_finished"));
	}

	@Test
	void listLimitOutOfRangeIsAProblemNamingIt() {
		assertThat(this.mvc.get().uri("/api/benchmarks?limit=0")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.hasPathSatisfying("$.errors[0].field", (field) -> field.assertThat().isEqualTo("limit"));
		verifyNoInteractions(this.benchmarks);
	}

	@Test
	void listShowsTheServicesBenchmarks() {
		given(this.benchmarks.list(20)).willReturn(List.of(new Benchmark("b-2", PLAN), new Benchmark("b-1", PLAN)));

		assertThat(this.mvc.get().uri("/api/benchmarks")).hasStatusOk()
			.bodyJson()
			.hasPathSatisfying("$.benchmarks[*].id", (ids) -> ids.assertThat().asList().containsExactly("b-2", "b-1"));
	}

	@Test
	void pingAnswersPong() {
		assertThat(this.mvc.get().uri("/api/benchmarks/ping")).hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo("{\"pong\": true}");
		verifyNoInteractions(this.benchmarks);
	}

}
