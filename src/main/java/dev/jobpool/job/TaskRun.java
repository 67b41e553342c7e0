package dev.jobpool.job;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.jobpool.execution.WorkerInfo;
import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskOutcome;

/**
 * The state of one task of a job, which runs as one unit of work or, for a large sum, as
 * several chunks that idle workers take. Mutable; guarded by its {@link Job}'s lock.
 */
final class TaskRun {

	final int index;

	final Object input;

	final int units;

	final Duration timeout;

	TaskStatus status = TaskStatus.QUEUED;

	@Nullable TaskOutcome outcome;

	@Nullable WorkerInfo worker;

	int attempts = 1;

	@Nullable Instant startedAt;

	long startedNanos;

	long durationNanos = -1;

	@Nullable Duration cpuTime;

	boolean cpuUnknown;

	int unitsEnded;

	BigInteger partialSum = BigInteger.ZERO;

	final List<TaskControl> running = new ArrayList<>();

	TaskRun(int index, Object input, int units, Duration timeout) {
		this.index = index;
		this.input = input;
		this.units = units;
		this.timeout = timeout;
	}

	boolean isFinished() {
		return this.status == TaskStatus.SUCCEEDED || this.status == TaskStatus.FAILED
				|| this.status == TaskStatus.CANCELLED;
	}

	/**
	 * Return the time a unit dispatched now may run: the task's deadline counts from its
	 * first unit's start.
	 */
	Duration timeLeft() {
		if (this.startedAt == null) {
			return this.timeout;
		}
		long left = this.timeout.toNanos() - (System.nanoTime() - this.startedNanos);
		return Duration.ofNanos(Math.max(1_000_000, left));
	}

	void addCpu(@Nullable Duration cpu) {
		if (cpu == null) {
			this.cpuUnknown = true;
		}
		else if (!this.cpuUnknown) {
			this.cpuTime = (this.cpuTime != null) ? this.cpuTime.plus(cpu) : cpu;
		}
	}

	@Nullable Duration cpu() {
		return this.cpuUnknown ? null : this.cpuTime;
	}

}
