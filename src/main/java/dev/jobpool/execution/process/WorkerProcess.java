package dev.jobpool.execution.process;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.jobpool.work.WorkerSettings;

/**
 * The service's handle on one worker process: starts it, sends it tasks one at a time,
 * and stops or kills it. Not thread-safe: one slot drives it, except {@link #kill()},
 * which any thread may call to unblock that slot.
 */
final class WorkerProcess {

	private final Process process;

	private final DataOutputStream requests;

	private final DataInputStream responses;

	private final Instant startedAt = Instant.now();

	private final long startedNanos;

	private final long readyNanos;

	private int tasksDone;

	private long idleSinceNanos;

	private WorkerProcess(Process process, long startedNanos, WorkerSettings settings) throws IOException {
		this.process = process;
		this.startedNanos = startedNanos;
		this.requests = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
		this.responses = new DataInputStream(new BufferedInputStream(process.getInputStream()));
		WorkerProtocol.writeSettings(this.requests, settings);
		int hello = this.responses.readInt();
		if (hello != WorkerProtocol.READY) {
			throw new IOException(
					"Worker pid " + process.pid() + " said " + Integer.toHexString(hello) + " instead of ready");
		}
		this.readyNanos = System.nanoTime();
		this.idleSinceNanos = this.readyNanos;
	}

	/**
	 * Start a worker, give it its settings and wait until it is ready for tasks.
	 * @param command the command line
	 * @param settings the settings it runs its tasks with
	 * @param startTimeout how long it may take
	 * @return the ready worker
	 * @throws IOException if it could not start or did not get ready in time
	 */
	static WorkerProcess start(List<String> command, WorkerSettings settings, Duration startTimeout)
			throws IOException {
		long start = System.nanoTime();
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		CompletableFuture<Void> watchdog = CompletableFuture.runAsync(() -> {
			process.destroyForcibly();
		}, CompletableFuture.delayedExecutor(startTimeout.toMillis(), TimeUnit.MILLISECONDS));
		try {
			return new WorkerProcess(process, start, settings);
		}
		catch (IOException ex) {
			boolean timedOut = !watchdog.cancel(false);
			process.destroyForcibly();
			if (timedOut) {
				throw new IOException(
						"worker pid " + process.pid() + " did not get ready within " + startTimeout.toMillis() + " ms",
						ex);
			}
			throw new IOException(
					"worker pid " + process.pid() + " exited with status " + exitStatus(process) + " during start-up",
					ex);
		}
		finally {
			watchdog.cancel(false);
		}
	}

	/**
	 * Run one task, counted among the worker's tasks, and wait for its answer.
	 * @param request the task
	 * @return the answer
	 * @throws IOException if the worker died or was killed before answering
	 */
	WorkerProtocol.Response run(WorkerProtocol.Request request) throws IOException {
		return run(request, true);
	}

	/**
	 * Run one task and wait for its answer.
	 * @param request the task
	 * @param counted whether it counts among the worker's tasks (a rehearsal does not, so
	 * that it never brings a worker nearer to being recycled)
	 * @return the answer
	 * @throws IOException if the worker died or was killed before answering
	 */
	WorkerProtocol.Response run(WorkerProtocol.Request request, boolean counted) throws IOException {
		WorkerProtocol.writeRequest(this.requests, request);
		WorkerProtocol.Response response = WorkerProtocol.readResponse(this.responses);
		if (counted) {
			this.tasksDone++;
		}
		this.idleSinceNanos = System.nanoTime();
		return response;
	}

	/**
	 * Return how long the worker has waited since it got ready or answered its last task.
	 * @return the idle time
	 */
	Duration idleTime() {
		return Duration.ofNanos(System.nanoTime() - this.idleSinceNanos);
	}

	/**
	 * Check that the worker still answers: send a ping and wait for its pong. A worker
	 * that does not answer in time (stopped with SIGSTOP, hung) is killed, which also
	 * ends the wait on its pipe.
	 * @param timeout how long it may take to answer
	 * @return {@code true} if it answered, {@code false} if it died or was killed
	 */
	boolean ping(Duration timeout) {
		CompletableFuture<Void> watchdog = CompletableFuture.runAsync(this.process::destroyForcibly,
				CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS));
		try {
			WorkerProtocol.writePing(this.requests);
			boolean answered = this.responses.readInt() == WorkerProtocol.PONG;
			// The watchdog may have fired just as the answer came: the worker is dead
			// then.
			return watchdog.cancel(false) && answered;
		}
		catch (IOException ex) {
			return false;
		}
		finally {
			watchdog.cancel(false);
			this.idleSinceNanos = System.nanoTime();
		}
	}

	long pid() {
		return this.process.pid();
	}

	int tasksDone() {
		return this.tasksDone;
	}

	Instant startedAt() {
		return this.startedAt;
	}

	Duration startupTime() {
		return Duration.ofNanos(this.readyNanos - this.startedNanos);
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/** Kill the worker at once (SIGKILL): also a stopped or spinning one. */
	void kill() {
		this.process.destroyForcibly();
	}

	/**
	 * Wait for the worker to exit after it died or was killed, and return its exit
	 * status.
	 * @return the exit status, or -1 if it has not exited within a second
	 */
	int exitStatus() {
		return exitStatus(this.process);
	}

	private static int exitStatus(Process process) {
		try {
			return process.waitFor(1, TimeUnit.SECONDS) ? process.exitValue() : -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	/**
	 * Ask the worker to exit by closing its stdin, as Python's {@code Pool.close()} does;
	 * kill it if it has not exited within the grace period.
	 * @param grace how long to wait
	 */
	void stop(Duration grace) {
		try {
			this.requests.close();
		}
		catch (IOException ex) {
			// Already gone: nothing to close.
		}
		try {
			if (!this.process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
				kill();
				this.process.waitFor(1, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			kill();
			Thread.currentThread().interrupt();
		}
	}

}
