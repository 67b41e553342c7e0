package dev.jobpool.execution;

/**
 * Who ran a task.
 *
 * @param kind thread, virtual thread or process
 * @param name the thread's or worker's name
 * @param pid the operating-system process id the task ran in
 */
public record WorkerInfo(WorkerKind kind, String name, long pid) {

	/**
	 * Describe the current thread of this service as a worker.
	 * @param kind the kind of thread
	 * @return the worker info
	 */
	public static WorkerInfo currentThread(WorkerKind kind) {
		return new WorkerInfo(kind, Thread.currentThread().getName(), ProcessHandle.current().pid());
	}

}
