package dev.jobpool.execution;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

/**
 * Publishes each executor's active and queued tasks, one metric name each with an
 * {@code executor} tag.
 */
@Component
class ExecutorMetrics implements MeterBinder {

	private final ExecutorRegistry executors;

	ExecutorMetrics(ExecutorRegistry executors) {
		this.executors = executors;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (TaskExecutor executor : this.executors.all()) {
			ExecutorLoad load = executor.load();
			Gauge.builder("jobpool.executor.active.tasks", load, ExecutorLoad::active)
				.description("Tasks running now on the executor")
				.baseUnit("tasks")
				.tag("executor", executor.kind().id())
				.register(registry);
			Gauge.builder("jobpool.executor.queued.tasks", load, ExecutorLoad::queued)
				.description("Tasks accepted for the executor and waiting to start")
				.baseUnit("tasks")
				.tag("executor", executor.kind().id())
				.register(registry);
		}
	}

}
