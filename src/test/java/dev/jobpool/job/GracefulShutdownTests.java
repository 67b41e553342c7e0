package dev.jobpool.job;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.jobpool.ApiClient;
import dev.jobpool.JobpoolApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping the service: new jobs get 503 with Retry-After while running jobs drain within
 * the grace period, what is left ends cancelled, and no worker process survives.
 */
class GracefulShutdownTests {

	@Test
	void stoppingRefusesNewJobsAndCancelsWhatCannotFinish() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(JobpoolApplication.class)
			.properties("jobpool.process.workers=2", "jobpool.executors.shutdown-grace=3s",
					"jobpool.jobs.retry-after=7s")
			// A command-line argument: application.yml's server.port outranks default
			// properties, and 8080 may be taken.
			.run("--server.port=0");
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		ApiClient api = new ApiClient(port);
		JobService jobs = context.getBean(JobService.class);
		String location = api
			.post("/api/jobs/sum",
					"{\"numbers\":[10000000000,10000000000,10000000000,10000000000],\"executor\":\"process\"}")
			.header("Location");
		Job job = jobs.get(location.substring(location.lastIndexOf('/') + 1));
		await().atMost(Duration.ofSeconds(30)).until(() -> job.status() == JobStatus.RUNNING);
		List<ProcessHandle> workers = ProcessHandle.current()
			.children()
			.filter((child) -> child.info()
				.arguments()
				.map(List::of)
				.orElse(List.of())
				.stream()
				.anyMatch((arg) -> arg.contains("WorkerMain") || arg.contains("loader.main")))
			.toList();

		CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
		ApiClient.Response refused = await().atMost(Duration.ofSeconds(10))
			.until(() -> api.post("/api/jobs/sum", "{\"numbers\":[1]}"), (response) -> response.status() == 503);

		assertThat(refused.header("Retry-After")).isEqualTo("7");
		assertThat(refused.json().get("code").asString()).isEqualTo("shutting_down");
		closing.get();
		assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
		assertThat(job.view(true).cancelReason()).contains("shut down");
		assertThat(job.view(true).tasks())
			.allSatisfy((task) -> assertThat(task.status()).isIn(TaskStatus.SUCCEEDED, TaskStatus.CANCELLED))
			.anySatisfy((task) -> assertThat(task.status()).isEqualTo(TaskStatus.CANCELLED));
		await().atMost(Duration.ofSeconds(10)).until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
	}

}
