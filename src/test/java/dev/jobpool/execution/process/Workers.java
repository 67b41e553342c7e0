package dev.jobpool.execution.process;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import dev.jobpool.ApiClient;
import dev.jobpool.execution.TaskListener;
import dev.jobpool.execution.WorkerInfo;
import dev.jobpool.fetch.FetchProperties;
import dev.jobpool.task.TaskOutcome;
import dev.jobpool.work.WorkerSettings;

import static org.awaitility.Awaitility.await;

/**
 * Test helpers that give worker processes their settings, and find and signal them.
 */
final class Workers {

	private Workers() {
	}

	/**
	 * Wait until the job's task runs on a worker and return that worker's pid.
	 * @param api the client
	 * @param location the job's path
	 * @param task the task's index
	 * @return the pid
	 */
	static long pidRunning(ApiClient api, String location, int task) {
		return await().atMost(Duration.ofSeconds(30)).until(() -> {
			JsonNode node = api.get(location).json().get("tasks").get(task);
			return "running".equals(node.get("status").asString()) ? node.get("worker").get("pid").asLong() : null;
		}, (pid) -> pid != null);
	}

	/**
	 * Return the settings of a worker: the {@code jobpool.fetch} record bound from the
	 * given properties, with the record's own defaults for the rest.
	 * @param properties names under {@code jobpool.fetch} and values, in turn
	 * @return the settings
	 */
	static WorkerSettings settings(String... properties) {
		Map<String, String> source = new HashMap<>();
		for (int i = 0; i + 1 < properties.length; i += 2) {
			source.put("jobpool.fetch." + properties[i], properties[i + 1]);
		}
		return new WorkerSettings(new Binder(new MapConfigurationPropertySource(source)).bindOrCreate("jobpool.fetch",
				FetchProperties.class));
	}

	/**
	 * Start a worker with the service's command line and give it its settings.
	 * @param parentPid the service it belongs to
	 * @param settings the settings
	 * @return the worker, which says it is ready once it has read them
	 * @throws IOException if it could not be started
	 */
	static Process start(long parentPid, WorkerSettings settings) throws IOException {
		Process worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), WorkerMain.class.getName(), "--parent-pid=" + parentPid)
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		WorkerProtocol.writeSettings(new DataOutputStream(worker.getOutputStream()), settings);
		return worker;
	}

	/**
	 * Return a listener that completes the given future with the task's outcome.
	 * @param outcome the future
	 * @return the listener
	 */
	static TaskListener completing(CompletableFuture<TaskOutcome> outcome) {
		return new TaskListener() {

			@Override
			public void started(WorkerInfo worker) {
			}

			@Override
			public void finished(TaskOutcome result, @Nullable Duration cpuTime) {
				outcome.complete(result);
			}

		};
	}

	static boolean alive(long pid) {
		return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
	}

	static void signal(String signal, long pid) throws IOException, InterruptedException {
		new ProcessBuilder("sh", "-c", "kill -" + signal + " " + pid).inheritIO().start().waitFor();
	}

}
