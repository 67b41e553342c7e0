package dev.jobpool.execution.process;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.work.WorkerSettings;

/**
 * The {@code process} executor: a pool of long-lived workers, like
 * {@code multiprocessing.Pool}. They start with the service and live on; one is replaced
 * after a crash, a timeout, a cancellation, or when it has run
 * {@code max-tasks-per-worker} tasks or grown past {@code max-worker-memory}.
 */
final class ProcessPoolExecutor extends ProcessTaskExecutor {

	private volatile boolean warm;

	private ProcessPoolExecutor(ProcessProperties properties, List<String> command, WorkerSettings.Source settings,
			ProcessMetrics metrics, int queueCapacity) {
		super(ExecutorKind.PROCESS, properties.effectiveWorkers(), WorkerState.STARTING, properties,
				withWarmUp(command), settings, metrics, queueCapacity);
	}

	/**
	 * Create the pool; its workers start with {@link #warmUp()}. Kills first the workers
	 * a killed predecessor of this service left behind.
	 * @param properties the process settings
	 * @param command the worker command line
	 * @param settings gives each worker its settings as it starts
	 * @param metrics where to record worker events
	 * @param queueCapacity most tasks that may wait
	 * @return the executor
	 */
	static ProcessPoolExecutor create(ProcessProperties properties, List<String> command,
			WorkerSettings.Source settings, ProcessMetrics metrics, int queueCapacity) {
		OrphanWorkers.reap();
		ProcessPoolExecutor pool = new ProcessPoolExecutor(properties, command, settings, metrics, queueCapacity);
		pool.startSlots();
		return pool;
	}

	// A long-lived worker pays once to have the sum loop compiled before its first task.
	private static List<String> withWarmUp(List<String> command) {
		List<String> warmUp = new ArrayList<>(command);
		warmUp.add("--warm-up=true");
		return warmUp;
	}

	/**
	 * Start the pool's workers ahead of the first task. Called once the service knows its
	 * own address, which workers need to refuse fetching the service itself.
	 */
	@Override
	public void warmUp() {
		this.warm = true;
	}

	/** Replace a worker that died while it waited. */
	@Override
	void betweenTasks(WorkerSlot slot) {
		if (this.warm && !slot.hasLiveWorker()) {
			slot.keepWorkerReady();
		}
	}

	@Override
	void afterTask(WorkerSlot slot, WorkerProcess used, @Nullable RestartReason killedFor,
			WorkerProtocol.@Nullable Response response) {
		RestartReason replace = (killedFor != null) ? killedFor
				: (response != null) ? recycleReason(used, response) : null;
		if (replace != null) {
			slot.replace(used, replace);
		}
		if (accepting()) {
			slot.keepWorkerReady();
		}
		else {
			slot.idle();
		}
	}

	private @Nullable RestartReason recycleReason(WorkerProcess used, WorkerProtocol.Response response) {
		int maxTasks = properties().maxTasksPerWorker();
		if (maxTasks > 0 && used.tasksDone() >= maxTasks) {
			return RestartReason.RECYCLE;
		}
		if (response.rssBytes() > properties().maxWorkerMemory().toBytes()) {
			return RestartReason.RECYCLE;
		}
		return null;
	}

}
