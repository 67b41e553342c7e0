package dev.jobpool.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.jobpool.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar as users run it ({@code java -jar}): its process executor starts
 * workers from the jar itself, and no worker outlives the service, whether it stops or is
 * killed.
 */
class PackagedJarTests {

	private PackagedJar.Run service;

	@AfterEach
	void stopService() {
		if (this.service != null) {
			this.service.process().destroyForcibly();
		}
	}

	@Test
	void workersStartFromTheJarAndStopWithTheServiceOnSigterm() throws Exception {
		ApiClient api = start("packaged-sigterm");

		JsonNode job = api
			.post("/api/jobs/sum?wait=60", "{\"numbers\":[10000000,10000000,10000000],\"executor\":\"process\"}")
			.json();

		assertThat(job.get("status").asString()).isEqualTo("succeeded");
		assertThat(job.get("tasks")).allSatisfy((task) -> {
			assertThat(task.get("worker").get("kind").asString()).isEqualTo("process");
			long pid = task.get("worker").get("pid").asLong();
			assertThat(pid).isNotEqualTo(this.service.process().pid());
			assertThat(ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
				.contains(this.service.process().pid());
		});
		List<ProcessHandle> workers = this.service.process().children().toList();
		assertThat(workers).hasSize(2);
		String running = api
			.post("/api/jobs/sum",
					"{\"numbers\":[10000000000,10000000000,10000000000,10000000000,10000000000,10000000000],"
							+ "\"executor\":\"process\"}")
			.header("Location");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> api.get(running).json().get("status").asString().equals("running"));

		this.service.process().destroy();

		// While the running job drains (shutdown grace 5 s), new jobs are refused with
		// 503.
		ApiClient.Response refused = await().atMost(Duration.ofSeconds(5))
			.until(() -> api.post("/api/jobs/sum", "{\"numbers\":[1]}"), (response) -> response.status() == 503);
		assertThat(refused.header("Retry-After")).isNotEmpty();
		assertThat(this.service.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		String jobId = running.substring(running.lastIndexOf('/') + 1);
		assertThat(Files.readString(this.service.log())).contains("Cancelled job " + jobId);
		await().atMost(Duration.ofSeconds(10)).until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
	}

	@Test
	void workersExitWhenTheServiceIsKilled() throws Exception {
		ApiClient api = start("packaged-kill");
		await().atMost(Duration.ofSeconds(30)).until(() -> this.service.process().children().count() == 2);
		List<ProcessHandle> workers = this.service.process().children().toList();
		assertThat(api.get("/api/executors").status()).isEqualTo(200);

		this.service.process().destroyForcibly();

		await().atMost(Duration.ofSeconds(20)).until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
	}

	private ApiClient start(String name) throws IOException {
		PackagedJar.Run run = PackagedJar.start(name, List.of(), "--jobpool.process.workers=2",
				"--jobpool.process.spawn-max-running=1", "--jobpool.executors.shutdown-grace=5s");
		this.service = run;
		ApiClient api = new ApiClient(run.port());
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
			assertThat(run.process().isAlive()).as("the service exited; its log:%n%s", run.output()).isTrue();
			return api.get("/actuator/health").status() == 200;
		});
		return api;
	}

}
