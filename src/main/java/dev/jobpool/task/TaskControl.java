package dev.jobpool.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskFailedException;

/**
 * The deadline of one running task and the switch that aborts it. The executor aborts a
 * task when its deadline passes or its job is cancelled; the task's work polls
 * {@link #checkNotAborted()} in its loops and registers {@link #onAbort(Runnable) abort
 * actions} (closing a socket, killing a process) for the moments it is blocked.
 */
public final class TaskControl {

	/** Why a task was aborted. */
	public enum AbortReason {

		/** The task's deadline passed. */
		TIMEOUT,
		/** The task's job was cancelled. */
		CANCELLED

	}

	private volatile long deadlineNanos;

	private volatile boolean started;

	private final Duration timeout;

	private final AtomicReference<@Nullable AbortReason> abortReason = new AtomicReference<>();

	private final List<Runnable> abortActions = new ArrayList<>();

	private TaskControl(Duration timeout) {
		this.timeout = timeout;
	}

	/**
	 * Create a control whose deadline is {@code timeout} from now.
	 * @param timeout how long the task may run
	 * @return a new, started control
	 */
	public static TaskControl withTimeout(Duration timeout) {
		TaskControl control = new TaskControl(timeout);
		control.start();
		return control;
	}

	/**
	 * Create a control whose clock starts only when {@link #start()} is called, so that
	 * time spent waiting for a worker does not count against the task's deadline.
	 * @param timeout how long the task may run once started
	 * @return a new control, not started
	 */
	public static TaskControl unstarted(Duration timeout) {
		return new TaskControl(timeout);
	}

	/**
	 * Start the deadline clock: the task must finish within its timeout from now.
	 */
	public void start() {
		this.deadlineNanos = System.nanoTime() + this.timeout.toNanos();
		this.started = true;
	}

	/**
	 * Return the timeout this control was created with.
	 * @return the task's timeout
	 */
	public Duration timeout() {
		return this.timeout;
	}

	/**
	 * Return how long the task may still run, never negative.
	 * @return the time left
	 */
	public Duration remaining() {
		if (!this.started) {
			return this.timeout;
		}
		return Duration.ofNanos(Math.max(0, this.deadlineNanos - System.nanoTime()));
	}

	/**
	 * Return whether the deadline has passed.
	 * @return {@code true} once the deadline is behind us
	 */
	public boolean expired() {
		return this.started && System.nanoTime() - this.deadlineNanos >= 0;
	}

	/**
	 * Return why the task was aborted, if it was.
	 * @return the reason, or {@code null} while the task may go on
	 */
	public @Nullable AbortReason abortReason() {
		return this.abortReason.get();
	}

	/**
	 * Throw if the task was aborted, its deadline passed or its thread was interrupted.
	 * Work calls this between steps of a loop.
	 * @throws TaskFailedException with {@link TaskErrorCode#TIMEOUT} or
	 * {@link TaskErrorCode#CANCELLED}
	 */
	public void checkNotAborted() throws TaskFailedException {
		AbortReason reason = this.abortReason.get();
		if (reason == null && expired()) {
			abort(AbortReason.TIMEOUT);
			reason = this.abortReason.get();
		}
		if (reason == null && Thread.currentThread().isInterrupted()) {
			abort(AbortReason.CANCELLED);
			reason = this.abortReason.get();
		}
		if (reason != null) {
			throw failure(reason);
		}
	}

	/**
	 * Return the failure that stands for an abort of this task.
	 * @param reason why the task was aborted
	 * @return the failure to report
	 */
	public TaskFailedException failure(AbortReason reason) {
		return switch (reason) {
			case TIMEOUT -> new TaskFailedException(TaskErrorCode.TIMEOUT,
					"task ran past its deadline of " + this.timeout.toMillis() + " ms");
			case CANCELLED -> new TaskFailedException(TaskErrorCode.CANCELLED, "task was cancelled");
		};
	}

	/**
	 * Register an action to run when the task is aborted; runs it at once if it already
	 * was.
	 * @param action what unblocks the task, for example closing its connection
	 */
	public void onAbort(Runnable action) {
		synchronized (this.abortActions) {
			if (this.abortReason.get() == null) {
				this.abortActions.add(action);
				return;
			}
		}
		action.run();
	}

	/**
	 * Abort the task: record the first reason given and run the registered abort actions.
	 * @param reason why
	 * @return {@code true} if this call aborted the task, {@code false} if it already was
	 */
	public boolean abort(AbortReason reason) {
		List<Runnable> actions;
		synchronized (this.abortActions) {
			if (!this.abortReason.compareAndSet(null, reason)) {
				return false;
			}
			actions = List.copyOf(this.abortActions);
			this.abortActions.clear();
		}
		actions.forEach(Runnable::run);
		return true;
	}

}
