package dev.jobpool.execution;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Holds one {@link TaskExecutor} per {@link ExecutorKind}, and shuts them down when the service
 * stops.
 */
@Component
public class ExecutorRegistry implements DisposableBean {

	private final Map<ExecutorKind, TaskExecutor> executors = new EnumMap<>(ExecutorKind.class);

	private final ExecutorProperties properties;

	public ExecutorRegistry(ExecutorProperties properties, WorkRunner runner) {
		this.properties = properties;
		register(new PooledTaskExecutor(ExecutorKind.SEQUENTIAL, runner, 1, properties.queueCapacity()));
		register(new PooledTaskExecutor(ExecutorKind.PLATFORM, runner, properties.effectivePlatformThreads(),
				properties.queueCapacity()));
		register(new VirtualTaskExecutor(runner, properties.virtualMaxRunning()));
	}

	private void register(TaskExecutor executor) {
		this.executors.put(executor.kind(), executor);
	}

	/**
	 * Return the executor of the given kind.
	 * @param kind which executor
	 * @return the executor
	 */
	public TaskExecutor get(ExecutorKind kind) {
		TaskExecutor executor = this.executors.get(kind);
		if (executor == null) {
			throw new IllegalStateException("No executor " + kind.id());
		}
		return executor;
	}

	/**
	 * Return every executor, in the order of {@link ExecutorKind}.
	 * @return the executors
	 */
	public Collection<TaskExecutor> all() {
		return List.copyOf(this.executors.values());
	}

	@Override
	public void destroy() {
		this.executors.values().forEach((executor) -> executor.shutdown(this.properties.shutdownGrace()));
	}

}
