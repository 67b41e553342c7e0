package dev.jobpool.execution.process;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.work.WorkerSettings;

/**
 * The {@code spawn} executor: a fresh worker per task, started and joined like
 * {@code multiprocessing.Process}.
 */
final class SpawnExecutor extends ProcessTaskExecutor {

	private SpawnExecutor(ProcessProperties properties, List<String> command, WorkerSettings.Source settings,
			ProcessMetrics metrics, int queueCapacity) {
		super(ExecutorKind.SPAWN, properties.effectiveSpawnMaxRunning(), WorkerState.IDLE, properties, command,
				settings, metrics, queueCapacity);
	}

	/**
	 * Create the executor.
	 * @param properties the process settings
	 * @param command the worker command line
	 * @param settings gives each worker its settings as it starts
	 * @param metrics where to record worker events
	 * @param queueCapacity most tasks that may wait
	 * @return the executor
	 */
	static SpawnExecutor create(ProcessProperties properties, List<String> command, WorkerSettings.Source settings,
			ProcessMetrics metrics, int queueCapacity) {
		SpawnExecutor spawn = new SpawnExecutor(properties, command, settings, metrics, queueCapacity);
		spawn.startSlots();
		return spawn;
	}

	/** Nothing to prepare: a slot has a worker only while it runs a task. */
	@Override
	void betweenTasks(WorkerSlot slot) {
	}

	/** Stop the task's worker, whatever became of it. */
	@Override
	void afterTask(WorkerSlot slot, WorkerProcess used, @Nullable RestartReason killedFor,
			WorkerProtocol.@Nullable Response response) {
		slot.release(used);
	}

}
