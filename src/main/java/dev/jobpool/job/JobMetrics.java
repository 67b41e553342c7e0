package dev.jobpool.job;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

import dev.jobpool.execution.ExecutorKind;

/**
 * Records jobs and tasks as Micrometer meters under {@code jobpool.}: counts by type,
 * executor and status, and histograms of durations so that Prometheus can compute
 * quantiles. Tags take values from closed sets only (never an id or a URL).
 */
@Component
public class JobMetrics {

	private static final Duration MIN_EXPECTED = Duration.ofMillis(1);

	private static final Duration MAX_EXPECTED = Duration.ofMinutes(10);

	private final MeterRegistry registry;

	private final Map<JobType, AtomicInteger> active = new EnumMap<>(JobType.class);

	JobMetrics(MeterRegistry registry) {
		this.registry = registry;
		for (JobType type : JobType.values()) {
			AtomicInteger count = new AtomicInteger();
			this.active.put(type, count);
			Gauge.builder("jobpool.jobs.active", count, AtomicInteger::get)
				.description("Jobs queued or running")
				.tag("type", type.id())
				.register(registry);
		}
	}

	public void jobSubmitted(JobType type, ExecutorKind executor) {
		Counter.builder("jobpool.jobs.submitted")
			.description("Jobs accepted")
			.tag("type", type.id())
			.tag("executor", executor.id())
			.register(this.registry)
			.increment();
		this.active.get(type).incrementAndGet();
	}

	public void jobStarted(JobType type, ExecutorKind executor, Duration queueTime) {
		histogram("jobpool.job.queue", "Time from a job's acceptance to its first task's start",
				Tags.of("type", type.id(), "executor", executor.id()))
			.record(queueTime);
	}

	public void taskEnded(JobType type, ExecutorKind executor, TaskStatus status, Duration duration) {
		histogram("jobpool.task.duration", "Run time of a task",
				Tags.of("type", type.id(), "executor", executor.id(), "status", status.id()))
			.record(duration);
	}

	public void jobFinished(JobType type, ExecutorKind executor, JobStatus status, Duration wallTime) {
		Tags tags = Tags.of("type", type.id(), "executor", executor.id(), "status", status.id());
		Counter.builder("jobpool.jobs.completed")
			.description("Jobs that ended, by status")
			.tags(tags)
			.register(this.registry)
			.increment();
		histogram("jobpool.job.duration", "Wall time of a job, from its first task's start to its last task's end",
				tags)
			.record(wallTime);
		this.active.get(type).decrementAndGet();
	}

	private Timer histogram(String name, String description, Tags tags) {
		return Timer.builder(name)
			.description(description)
			.tags(tags)
			.publishPercentileHistogram()
			.minimumExpectedValue(MIN_EXPECTED)
			.maximumExpectedValue(MAX_EXPECTED)
			.register(this.registry);
	}

}
