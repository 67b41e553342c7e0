package dev.jobpool.execution.process;

import java.io.IOException;
import java.time.Duration;

import tools.jackson.databind.JsonNode;

import dev.jobpool.ApiClient;

import static org.awaitility.Awaitility.await;

/**
 * Test helpers that find and signal worker processes.
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

	static boolean alive(long pid) {
		return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
	}

	static void signal(String signal, long pid) throws IOException, InterruptedException {
		new ProcessBuilder("sh", "-c", "kill -" + signal + " " + pid).inheritIO().start().waitFor();
	}

}
