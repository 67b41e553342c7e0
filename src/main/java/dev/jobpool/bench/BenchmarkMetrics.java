package dev.jobpool.bench;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

import dev.jobpool.job.JobType;

/**
 * Counts benchmark runs as {@code jobpool.benchmark.runs} by job type (warm-ups are not
 * counted), registered for every type at start-up so that the series exist before the
 * first benchmark.
 */
@Component
class BenchmarkMetrics {

	private final Map<JobType, Counter> runs = new EnumMap<>(JobType.class);

	BenchmarkMetrics(MeterRegistry registry) {
		for (JobType type : JobType.values()) {
			this.runs.put(type,
					Counter.builder("jobpool.benchmark.runs")
						.description("Counted benchmark runs (warm-ups excluded), each one job")
						.tag("type", type.id())
						.register(registry));
		}
	}

	void runCounted(JobType type) {
		this.runs.get(type).increment();
	}

}
