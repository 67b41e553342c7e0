package dev.jobpool.execution;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.jobpool.task.WorkRunner;

/**
 * Holds one {@link TaskExecutor} per {@link ExecutorKind}, and shuts them down when the
 * service stops.
 */
@Component
public class ExecutorRegistry implements DisposableBean {

	private final Map<ExecutorKind, TaskExecutor> executors = new EnumMap<>(ExecutorKind.class);

	private final ExecutorProperties properties;

	/**
	 * Create the registry: the thread executors it builds itself, and the executors other
	 * packages contribute as beans (the worker-process ones).
	 * @param properties the executor settings
	 * @param runner runs a task's work on a thread of this service
	 * @param contributed the other executors
	 */
	public ExecutorRegistry(ExecutorProperties properties, WorkRunner runner, List<TaskExecutor> contributed) {
		this.properties = properties;
		register(new PooledTaskExecutor(ExecutorKind.SEQUENTIAL, runner, 1, properties.queueCapacity()));
		register(new PooledTaskExecutor(ExecutorKind.PLATFORM, runner, properties.effectivePlatformThreads(),
				properties.queueCapacity()));
		register(new VirtualTaskExecutor(runner, properties.virtualMaxRunning()));
		contributed.forEach(this::register);
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

	/**
	 * Warm the executors up once the web server is up: only then is the service's port
	 * known, which worker processes must refuse to fetch.
	 * @param event the web server's start
	 */
	@EventListener
	void onWebServerStarted(WebServerInitializedEvent event) {
		this.executors.values().forEach(TaskExecutor::warmUp);
	}

	@Override
	public void destroy() {
		// Each executor gets the whole grace period at once, not one after another.
		List<Thread> stopping = this.executors.values()
			.stream()
			.map((executor) -> Thread.ofPlatform()
				.name("jobpool-stop-" + executor.kind().id())
				.start(() -> executor.shutdown(this.properties.shutdownGrace())))
			.toList();
		for (Thread thread : stopping) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
