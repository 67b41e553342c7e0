package dev.jobpool.execution.process;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.jobpool.execution.ExecutorProperties;
import dev.jobpool.work.WorkerSettings;

/**
 * Contributes the worker-process executors, {@code process} and {@code spawn}, to the
 * executor registry, with the worker command line built from the process settings and
 * each worker's settings message from the configured source.
 */
@Configuration(proxyBeanMethods = false)
class ProcessExecutorConfiguration {

	@Bean
	ProcessMetrics processMetrics(MeterRegistry meterRegistry) {
		return new ProcessMetrics(meterRegistry);
	}

	@Bean
	ProcessPoolExecutor processExecutor(ProcessProperties properties, WorkerSettings.Source settings,
			ProcessMetrics metrics, ExecutorProperties executors) {
		return ProcessPoolExecutor.create(properties, WorkerCommand.build(properties), settings, metrics,
				executors.queueCapacity());
	}

	@Bean
	SpawnExecutor spawnExecutor(ProcessProperties properties, WorkerSettings.Source settings, ProcessMetrics metrics,
			ExecutorProperties executors) {
		return SpawnExecutor.create(properties, WorkerCommand.build(properties), settings, metrics,
				executors.queueCapacity());
	}

}
