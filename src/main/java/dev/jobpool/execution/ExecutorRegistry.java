package dev.jobpool.execution;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.jobpool.execution.process.ProcessMetrics;
import dev.jobpool.execution.process.ProcessProperties;
import dev.jobpool.execution.process.ProcessTaskExecutor;
import dev.jobpool.execution.process.WorkerCommand;
import dev.jobpool.fetch.FetchProperties;
import dev.jobpool.fetch.ServicePorts;

/**
 * Holds one {@link TaskExecutor} per {@link ExecutorKind}, and shuts them down when the
 * service stops.
 */
@Component
public class ExecutorRegistry implements DisposableBean {

	private final Map<ExecutorKind, TaskExecutor> executors = new EnumMap<>(ExecutorKind.class);

	private final ExecutorProperties properties;

	public ExecutorRegistry(ExecutorProperties properties, ProcessProperties processProperties,
			FetchProperties fetchProperties, ServicePorts servicePorts, WorkRunner runner,
			MeterRegistry meterRegistry) {
		this.properties = properties;
		register(new PooledTaskExecutor(ExecutorKind.SEQUENTIAL, runner, 1, properties.queueCapacity()));
		register(new PooledTaskExecutor(ExecutorKind.PLATFORM, runner, properties.effectivePlatformThreads(),
				properties.queueCapacity()));
		register(new VirtualTaskExecutor(runner, properties.virtualMaxRunning()));
		List<String> workerCommand = WorkerCommand.build(processProperties, fetchProperties);
		ProcessMetrics processMetrics = new ProcessMetrics(meterRegistry);
		register(ProcessTaskExecutor.pool(processProperties, workerCommand, servicePorts::workerArguments,
				processMetrics, properties.queueCapacity()));
		register(ProcessTaskExecutor.spawn(processProperties, workerCommand, servicePorts::workerArguments,
				processMetrics, properties.queueCapacity()));
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
	 * Start the pooled workers once the web server is up: only then is the service's port
	 * known, which workers must refuse to fetch.
	 * @param event the web server's start
	 */
	@EventListener
	void onWebServerStarted(WebServerInitializedEvent event) {
		this.executors.values()
			.stream()
			.filter(ProcessTaskExecutor.class::isInstance)
			.map(ProcessTaskExecutor.class::cast)
			.forEach(ProcessTaskExecutor::warmUp);
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
