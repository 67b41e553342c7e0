package dev.jobpool.execution;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;

/**
 * Turns the executor a request asks for into the executor that runs it: a named executor
 * is taken as asked; {@code auto} sends CPU-bound work to the pool of worker processes
 * (one per core) and IO-bound work to a virtual thread per task.
 */
@Component
public class ExecutorRouter {

	/** The name that asks the service to choose. */
	public static final String AUTO = "auto";

	/**
	 * Return every name a request may give.
	 * @return {@code auto} and each executor's name
	 */
	public static String allowedNames() {
		return Stream.concat(Stream.of(AUTO), Arrays.stream(ExecutorKind.values()).map(ExecutorKind::id))
			.collect(Collectors.joining(", "));
	}

	/**
	 * Decide where a job runs.
	 * @param workload what the job's tasks wait on
	 * @param requested the executor the request named, {@code auto} or an executor's name
	 * @return the routing, or empty if the name is unknown
	 */
	public Optional<Routing> route(Workload workload, String requested) {
		if (AUTO.equals(requested)) {
			return Optional.of(auto(workload));
		}
		return ExecutorKind.fromId(requested).map((kind) -> new Routing(kind, requested, "requested explicitly"));
	}

	private Routing auto(Workload workload) {
		return switch (workload) {
			case CPU_BOUND -> new Routing(ExecutorKind.PROCESS, AUTO,
					"CPU-bound work runs best on one worker process per core, which a runaway task cannot harm");
			case IO_BOUND -> new Routing(ExecutorKind.VIRTUAL, AUTO,
					"IO-bound work waits on the network: a cheap virtual thread per task");
		};
	}

}
