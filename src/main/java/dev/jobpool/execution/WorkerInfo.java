package dev.jobpool.execution;

import org.jspecify.annotations.Nullable;

/**
 * Who ran a task.
 *
 * @param kind thread, virtual thread or process
 * @param name the thread's or worker's name
 * @param pid the operating-system process id the task ran in
 * @param replica the id of the service replica the task ran on, once the job has recorded
 * it
 */
public record WorkerInfo(WorkerKind kind, String name, long pid, @Nullable String replica) {

	/**
	 * Describe a worker of this replica, before the replica's id is added.
	 * @param kind thread, virtual thread or process
	 * @param name the thread's or worker's name
	 * @param pid the operating-system process id the task ran in
	 */
	public WorkerInfo(WorkerKind kind, String name, long pid) {
		this(kind, name, pid, null);
	}

	/**
	 * Describe the current thread of this service as a worker.
	 * @param kind the kind of thread
	 * @return the worker info
	 */
	public static WorkerInfo currentThread(WorkerKind kind) {
		return new WorkerInfo(kind, Thread.currentThread().getName(), ProcessHandle.current().pid());
	}

	/**
	 * Return this worker as seen from the cluster: on the given replica.
	 * @param replicaId the replica's id
	 * @return the worker with its replica
	 */
	public WorkerInfo onReplica(String replicaId) {
		return new WorkerInfo(this.kind, this.name, this.pid, replicaId);
	}

}
