package dev.jobpool.execution.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.execution.ExecutorLoad;
import dev.jobpool.execution.ExecutorRegistry;
import dev.jobpool.execution.WorkerKind;
import dev.jobpool.execution.WorkerStatus;

/**
 * Lists the executors with their size and load.
 */
@RestController
@Tag(name = "executors", description = "Where jobs run")
class ExecutorController {

	private final ExecutorRegistry executors;

	ExecutorController(ExecutorRegistry executors) {
		this.executors = executors;
	}

	@GetMapping(path = "/api/executors", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "List the executors with their size and load",
			description = "Each executor: how many tasks it runs at once, its tasks queued, running and completed, and "
					+ "for process and spawn each worker process with its pid, state, tasks done, uptime and restarts.")
	ExecutorList list() {
		return new ExecutorList(this.executors.all().stream().map((executor) -> {
			ExecutorLoad load = executor.load();
			return new ExecutorView(executor.kind(), executor.kind().workerKind(), executor.size(), load.active(),
					load.queued(), load.completed(), executor.workers());
		}).toList());
	}

	/**
	 * Every executor.
	 *
	 * @param executors the executors
	 */
	record ExecutorList(List<ExecutorView> executors) {
	}

	/**
	 * One executor.
	 *
	 * @param name its name, as given in requests
	 * @param kind what runs its tasks: thread, virtual or process
	 * @param size how many tasks it runs at once
	 * @param activeTasks tasks running now
	 * @param queuedTasks tasks accepted and waiting to start
	 * @param completedTasks tasks finished since start-up
	 * @param workers the worker processes, for the process executors
	 */
	@JsonInclude(JsonInclude.Include.NON_EMPTY)
	record ExecutorView(ExecutorKind name, WorkerKind kind, int size, int activeTasks, int queuedTasks,
			long completedTasks, List<WorkerStatus> workers) {
	}

}
