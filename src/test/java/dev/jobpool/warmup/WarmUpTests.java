package dev.jobpool.warmup;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import dev.jobpool.ApiClient;
import dev.jobpool.LoopbackExtension;
import dev.jobpool.job.JobAdmissionCheck;
import dev.jobpool.job.JobSpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up over real HTTP: it runs before the service reports ready (readiness down,
 * liveness up while it runs), its jobs take the real path to the executors and the worker
 * processes, and it leaves no job, no metric and no executor or worker count behind.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "jobpool.warmup.enabled=true", "jobpool.warmup.rounds=3", "jobpool.warmup.max-time=60s" })
class WarmUpTests {

	private static final int ROUNDS = 3;

	/** The executors a round sends a sum job to. */
	private static final int JOBS_PER_ROUND = 5;

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	@Autowired
	private Probe probe;

	@Test
	void runsItsRoundsBeforeReadinessWhileLivenessIsUp() {
		List<Seen> seen = this.probe.seen();
		// Every job of the warm-up came before readiness; the other tests' jobs come
		// after.
		assertThat(seen.stream().takeWhile((job) -> job.readiness() == ReadinessState.REFUSING_TRAFFIC))
			.hasSize(ROUNDS * JOBS_PER_ROUND)
			.extracting(Seen::executor)
			.containsSequence("process", "auto", "platform", "sequential", "virtual");
		assertThat(seen.stream().skip(ROUNDS * JOBS_PER_ROUND))
			.allSatisfy((job) -> assertThat(job.readiness()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC));
		assertThat(seen.getFirst().readinessStatus()).isEqualTo(503);
		assertThat(seen.getFirst().livenessStatus()).isEqualTo(200);
		assertThat(loopback.api().get("/actuator/health/readiness").status()).isEqualTo(200);
	}

	@Test
	void leavesNoJobNoMetricAndNoCountBehindThenCountsClientsJobsAsUsual() {
		assertThat(loopback.api().get("/api/jobs").json().get("jobs")).isEmpty();
		String scrape = loopback.api().get("/actuator/prometheus").body();
		assertThat(scrape).doesNotContain("jobpool_jobs_submitted_total", "jobpool_jobs_completed_total",
				"jobpool_job_duration_seconds_count", "jobpool_job_queue_seconds_count",
				"jobpool_task_duration_seconds_count", "jobpool_worker_dispatch_seconds_count", "uri=\"/api/jobs/sum\"",
				"uri=\"/api/jobs/{id}\"");
		assertThat(scrape).contains("jobpool_jobs_active{application=\"jobpool\",type=\"sum\"} 0.0");
		JsonNode executors = loopback.api().get("/api/executors").json().get("executors");
		assertThat(executors).isNotEmpty().allSatisfy((executor) -> {
			assertThat(executor.get("completedTasks").asLong()).as(executor.get("name").asString()).isZero();
			assertThat(executor.get("queuedTasks").asLong()).isZero();
			assertThat(executor.path("workers")).allSatisfy((worker) -> {
				assertThat(worker.get("tasksDone").asLong()).isZero();
				assertThat(worker.get("restarts").asInt()).isZero();
			});
		});

		// Once the warm-up is over, its header is nothing: the job is a client's.
		ApiClient.Response response = loopback.api()
			.send(HttpRequest.newBuilder(loopback.api().uri("/api/jobs/sum?wait=30"))
				.header("Content-Type", "application/json")
				.header(WarmUp.HEADER, "guessed")
				.POST(HttpRequest.BodyPublishers.ofString("{\"numbers\":[2000000],\"executor\":\"process\"}")));

		assertThat(response.status()).isEqualTo(200);
		String id = response.json().get("id").asString();
		assertThat(loopback.api().get("/api/jobs").json().get("jobs")).singleElement()
			.satisfies((job) -> assertThat(job.get("id").asString()).isEqualTo(id));
		assertThat(loopback.api().get("/actuator/prometheus").body()).contains(
				"jobpool_jobs_submitted_total{application=\"jobpool\",executor=\"process\",type=\"sum\"} 1.0",
				"jobpool_worker_dispatch_seconds_count{application=\"jobpool\",executor=\"process\"} 2");
	}

	/**
	 * What one submission saw of the service's state.
	 *
	 * @param executor the executor the job asked for
	 * @param readiness the readiness state then
	 * @param readinessStatus what {@code /actuator/health/readiness} answered, on the
	 * first submission only (else 0)
	 * @param livenessStatus what {@code /actuator/health/liveness} answered, likewise
	 */
	record Seen(String executor, ReadinessState readiness, int readinessStatus, int livenessStatus) {
	}

	/**
	 * Sees every job submitted (admission checks run on every submission, rehearsals
	 * included) and, on the first, asks the health probes over HTTP.
	 */
	static final class Probe implements JobAdmissionCheck {

		private final ApplicationAvailability availability;

		private final Environment environment;

		private final List<Seen> seen = new CopyOnWriteArrayList<>();

		private final HttpClient http = HttpClient.newHttpClient();

		Probe(ApplicationAvailability availability, Environment environment) {
			this.availability = availability;
			this.environment = environment;
		}

		@Override
		public void check(JobSpec spec) {
			boolean first = this.seen.isEmpty();
			this.seen.add(new Seen(spec.options().executor(), this.availability.getReadinessState(),
					first ? status("/actuator/health/readiness") : 0, first ? status("/actuator/health/liveness") : 0));
		}

		List<Seen> seen() {
			return List.copyOf(this.seen);
		}

		private int status(String path) {
			int port = this.environment.getRequiredProperty("local.server.port", Integer.class);
			try {
				return this.http
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
						.timeout(Duration.ofSeconds(10))
						.build(), HttpResponse.BodyHandlers.discarding())
					.statusCode();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ProbeConfiguration {

		@Bean
		Probe warmUpProbe(ApplicationAvailability availability, Environment environment) {
			return new Probe(availability, environment);
		}

	}

}
