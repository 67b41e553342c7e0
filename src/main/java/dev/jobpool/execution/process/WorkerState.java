package dev.jobpool.execution.process;

/**
 * What a worker slot is doing: the {@code state} of each worker in
 * {@code GET /api/executors} and the {@code state} tag of the {@code jobpool.workers}
 * gauge.
 */
enum WorkerState {

	/** A worker process is starting and has not said it is ready yet. */
	STARTING("starting"),
	/** The slot waits for a task: with a ready worker ({@code process}), or none yet. */
	IDLE("idle"),
	/** The slot's worker runs a task. */
	BUSY("busy"),
	/** No worker could be started, or the executor has shut down. */
	STOPPED("stopped");

	private final String id;

	WorkerState(String id) {
		this.id = id;
	}

	/**
	 * Return the name shown in the API and in metric tags.
	 * @return the name, for example {@code "idle"}
	 */
	String id() {
		return this.id;
	}

}
