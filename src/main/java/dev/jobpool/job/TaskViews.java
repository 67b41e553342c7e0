package dev.jobpool.job;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.jobpool.task.FetchResult;
import dev.jobpool.task.TaskOutcome;
import dev.jobpool.task.TaskResult;

/**
 * How the in-memory store's tasks read in JSON: each task, the busy time of them all, a
 * sum job's total and a fetch job's summary. Called with the job's lock held.
 */
final class TaskViews {

	private TaskViews() {
	}

	static JobView.TaskView of(TaskRun task, long submittedNanos) {
		Object result = null;
		JobView.TaskError error = null;
		if (task.outcome instanceof TaskOutcome.Succeeded succeeded) {
			result = succeeded.result();
		}
		else if (task.outcome instanceof TaskOutcome.Failed failure) {
			error = new JobView.TaskError(failure.code(), failure.message());
		}
		Double queueMs = (task.startedAt != null) ? millis(task.startedNanos - submittedNanos) : null;
		Double durationMs = (task.durationNanos >= 0) ? millis(task.durationNanos) : null;
		Duration cpu = task.cpu();
		Double cpuMs = (cpu != null && task.isFinished()) ? millis(cpu.toNanos()) : null;
		return new JobView.TaskView(task.index, task.input, task.status, result, error, task.worker,
				(task.attempts > 1) ? task.attempts : null, (task.units > 1) ? task.units : null, task.startedAt,
				queueMs, durationMs, cpuMs);
	}

	/** Time the tasks ran, the running ones until now. */
	static long busyNanos(List<TaskRun> tasks, long nowNanos) {
		long busy = 0;
		for (TaskRun task : tasks) {
			if (task.durationNanos >= 0) {
				busy += task.durationNanos;
			}
			else if (task.status == TaskStatus.RUNNING) {
				busy += nowNanos - task.startedNanos;
			}
		}
		return busy;
	}

	static BigInteger total(List<TaskRun> tasks) {
		BigInteger total = BigInteger.ZERO;
		for (TaskRun task : tasks) {
			if (task.outcome instanceof TaskOutcome.Succeeded(TaskResult.Sum(BigInteger sum))) {
				total = total.add(sum);
			}
		}
		return total;
	}

	static JobView.FetchSummary fetchSummary(List<TaskRun> tasks, int notOk) {
		int ok = 0;
		long bytes = 0;
		Map<String, Integer> statusCounts = new TreeMap<>();
		for (TaskRun task : tasks) {
			if (task.outcome instanceof TaskOutcome.Succeeded(FetchResult response)) {
				ok++;
				bytes += response.bytes();
				statusCounts.merge(Integer.toString(response.status()), 1, Integer::sum);
			}
		}
		return new JobView.FetchSummary(ok, notOk, bytes, statusCounts);
	}

	static double millis(long nanos) {
		return Math.round(nanos / 1_000.0) / 1_000.0;
	}

}
