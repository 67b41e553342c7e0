package dev.jobpool.execution;

import dev.jobpool.support.Identified;

/**
 * What runs a task: a platform thread, a virtual thread or an operating-system process.
 */
public enum WorkerKind implements Identified {

	/** A platform (operating-system) thread inside the service. */
	THREAD,
	/** A virtual thread inside the service. */
	VIRTUAL,
	/** A separate worker process. */
	PROCESS;

}
