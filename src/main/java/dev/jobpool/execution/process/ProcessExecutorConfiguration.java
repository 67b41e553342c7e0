package dev.jobpool.execution.process;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.jobpool.execution.ExecutorProperties;
import dev.jobpool.fetch.FetchProperties;
import dev.jobpool.fetch.ServicePorts;

/**
 * Contributes the worker-process executors, {@code process} and {@code spawn}, to the
 * executor registry, with the worker command line built from the process and fetch
 * settings.
 */
@Configuration(proxyBeanMethods = false)
class ProcessExecutorConfiguration {

	@Bean
	ProcessMetrics processMetrics(MeterRegistry meterRegistry) {
		return new ProcessMetrics(meterRegistry);
	}

	@Bean
	ProcessTaskExecutor processExecutor(ProcessProperties properties, FetchProperties fetch, ServicePorts ports,
			ProcessMetrics metrics, ExecutorProperties executors) {
		return ProcessTaskExecutor.pool(properties, workerCommand(properties, fetch), ports::workerArguments, metrics,
				executors.queueCapacity());
	}

	@Bean
	ProcessTaskExecutor spawnExecutor(ProcessProperties properties, FetchProperties fetch, ServicePorts ports,
			ProcessMetrics metrics, ExecutorProperties executors) {
		return ProcessTaskExecutor.spawn(properties, workerCommand(properties, fetch), ports::workerArguments, metrics,
				executors.queueCapacity());
	}

	private static List<String> workerCommand(ProcessProperties properties, FetchProperties fetch) {
		return WorkerCommand.build(properties, fetch);
	}

}
