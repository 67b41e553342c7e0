package dev.jobpool.job;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * A job's tasks in the order they ended, and who watches for more: a watcher holds only a
 * cursor into the log and pulls events with {@link #from}, not a copy of every event.
 * Guarded by its job's lock.
 */
final class JobEventLog {

	/** A task in the order it ended, with the job's progress right after. */
	private record Ended(TaskRun task, JobView.Progress progress) {
	}

	private final List<Ended> endedInOrder = new ArrayList<>();

	private final List<Runnable> watchers = new ArrayList<>();

	private boolean closed;

	void ended(TaskRun task, JobView.Progress progress) {
		this.endedInOrder.add(new Ended(task, progress));
		wake();
	}

	/** The job finished: wake the watchers a last time and let them go. */
	void finished() {
		wake();
		this.watchers.clear();
		this.closed = true;
	}

	void watch(Runnable onChange) {
		if (!this.closed) {
			this.watchers.add(onChange);
		}
	}

	void unwatch(Runnable onChange) {
		this.watchers.remove(onChange);
	}

	/**
	 * Return at most {@code max} task events after the first {@code cursor}, then the
	 * finished job once every task's event was had.
	 * @param cursor how many ended tasks the watcher has had already
	 * @param max most task events to return
	 * @param taskView how a task reads
	 * @param finishedJob the finished job, or {@code null} while it runs
	 * @return the events, empty if nothing new happened
	 */
	List<JobEvent> from(int cursor, int max, Function<TaskRun, JobView.TaskView> taskView,
			Supplier<@Nullable JobView> finishedJob) {
		int end = Math.min(this.endedInOrder.size(), cursor + max);
		List<JobEvent> events = new ArrayList<>(Math.max(end - cursor, 0) + 1);
		for (int i = cursor; i < end; i++) {
			Ended ended = this.endedInOrder.get(i);
			events.add(new JobEvent.TaskEnded(taskView.apply(ended.task()), ended.progress()));
		}
		if (end == this.endedInOrder.size()) {
			JobView job = finishedJob.get();
			if (job != null) {
				events.add(new JobEvent.Finished(job));
			}
		}
		return events;
	}

	private void wake() {
		this.watchers.forEach(Runnable::run);
	}

}
