package dev.jobpool.job;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.jobpool.execution.TaskControl;
import dev.jobpool.execution.TaskOutcome;
import dev.jobpool.execution.TaskWork;
import dev.jobpool.execution.WorkerInfo;

/**
 * The state of one task of a job. Mutable; guarded by its {@link Job}'s lock.
 */
final class TaskRun {

	final int index;

	final TaskWork work;

	final Object input;

	final TaskControl control;

	TaskStatus status = TaskStatus.QUEUED;

	@Nullable TaskOutcome outcome;

	@Nullable WorkerInfo worker;

	int attempts = 1;

	@Nullable Instant startedAt;

	long startedNanos;

	long durationNanos = -1;

	@Nullable Duration cpuTime;

	TaskRun(int index, TaskWork work, Object input, Duration timeout) {
		this.index = index;
		this.work = work;
		this.input = input;
		this.control = TaskControl.unstarted(timeout);
	}

	boolean isFinished() {
		return this.status == TaskStatus.SUCCEEDED || this.status == TaskStatus.FAILED
				|| this.status == TaskStatus.CANCELLED;
	}

}
