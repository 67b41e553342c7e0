package dev.jobpool.execution.process;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.jobpool.execution.ExecutorKind;

/**
 * Worker-process meters, one name each with an {@code executor} tag: workers by state,
 * restarts by reason, and histograms of dispatch overhead and start-up time.
 */
public final class ProcessMetrics {

	private final MeterRegistry registry;

	public ProcessMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/** Where a gauge reads one worker's state. */
	@FunctionalInterface
	interface StateSource {

		WorkerState state();

	}

	void bindWorkers(ExecutorKind executor, List<StateSource> workers) {
		for (WorkerState state : WorkerState.values()) {
			Gauge
				.builder("jobpool.workers", workers,
						(all) -> all.stream().filter((worker) -> worker.state() == state).count())
				.description("Worker processes by state")
				.strongReference(true)
				.tag("executor", executor.id())
				.tag("state", state.id())
				.register(this.registry);
		}
		for (RestartReason reason : RestartReason.values()) {
			restarts(executor, reason);
		}
	}

	void restarted(ExecutorKind executor, RestartReason reason) {
		restarts(executor, reason).increment();
	}

	private Counter restarts(ExecutorKind executor, RestartReason reason) {
		return Counter.builder("jobpool.worker.restarts")
			.description("Worker processes replaced, by reason")
			.tag("executor", executor.id())
			.tag("reason", reason.id())
			.register(this.registry);
	}

	void dispatched(ExecutorKind executor, Duration overhead) {
		Timer.builder("jobpool.worker.dispatch")
			.description("Round trip of a task to a worker process, minus the task's own run time")
			.tag("executor", executor.id())
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofNanos(10_000))
			.maximumExpectedValue(Duration.ofSeconds(10))
			.register(this.registry)
			.record(overhead);
	}

	void spawned(ExecutorKind executor, Duration startup) {
		Timer.builder("jobpool.worker.spawn")
			.description("Time a worker process takes to start and say it is ready")
			.tag("executor", executor.id())
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(10))
			.maximumExpectedValue(Duration.ofSeconds(30))
			.register(this.registry)
			.record(startup);
	}

}
