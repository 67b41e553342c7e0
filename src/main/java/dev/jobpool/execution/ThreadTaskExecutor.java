package dev.jobpool.execution;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskFailedException;
import dev.jobpool.task.TaskOutcome;
import dev.jobpool.task.WorkRunner;

/**
 * Runs tasks on threads of this service. Subclasses decide which threads; this class runs
 * one task on the current thread: starts its deadline, lets an abort interrupt exactly
 * this task (never the next one the thread picks up) and reports the outcome.
 */
abstract class ThreadTaskExecutor implements TaskExecutor {

	private static final Logger logger = LoggerFactory.getLogger(ThreadTaskExecutor.class);

	private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private final ExecutorKind kind;

	private final WorkRunner runner;

	private final ExecutorLoad load = new ExecutorLoad();

	ThreadTaskExecutor(ExecutorKind kind, WorkRunner runner) {
		this.kind = kind;
		this.runner = runner;
	}

	@Override
	public ExecutorKind kind() {
		return this.kind;
	}

	@Override
	public ExecutorLoad load() {
		return this.load;
	}

	/**
	 * Run the task on the calling thread.
	 * @param submission the task
	 */
	protected final void runHere(TaskSubmission submission) {
		TaskControl control = submission.control();
		TaskListener listener = submission.listener();
		if (submission.endIfAborted()) {
			return;
		}
		Thread thread = Thread.currentThread();
		RunningFlag running = new RunningFlag();
		control.start();
		listener.started(WorkerInfo.currentThread(this.kind.workerKind()));
		control.onAbort(() -> running.interruptIfRunning(thread));
		long cpuBefore = cpuTimeNanos();
		TaskOutcome outcome;
		try {
			outcome = new TaskOutcome.Succeeded(this.runner.run(submission.work(), control));
		}
		catch (TaskFailedException ex) {
			outcome = TaskOutcome.Failed.of(ex);
		}
		catch (RuntimeException | Error ex) {
			logger.warn("Task {} failed unexpectedly", submission.work(), ex);
			outcome = new TaskOutcome.Failed(TaskErrorCode.INTERNAL, ex.toString());
		}
		finally {
			running.stop();
			// An abort that raced with the end of the task must not interrupt the next
			// one.
			Thread.interrupted();
		}
		TaskControl.AbortReason aborted = control.abortReason();
		if (aborted != null && outcome instanceof TaskOutcome.Failed) {
			outcome = TaskOutcome.Failed.of(control.failure(aborted));
		}
		long cpuAfter = cpuTimeNanos();
		Duration cpuTime = (cpuBefore >= 0 && cpuAfter >= 0) ? Duration.ofNanos(cpuAfter - cpuBefore) : null;
		listener.finished(outcome, cpuTime);
	}

	/**
	 * Report a task this executor could not take.
	 * @param submission the task
	 * @param reason why
	 */
	protected final void reject(TaskSubmission submission, String reason) {
		submission.listener()
			.finished(new TaskOutcome.Failed(TaskErrorCode.INTERNAL, this.kind.id() + " executor: " + reason), null);
	}

	private static long cpuTimeNanos() {
		if (Thread.currentThread().isVirtual() || !threads.isCurrentThreadCpuTimeSupported()) {
			return -1;
		}
		return threads.getCurrentThreadCpuTime();
	}

	private static final class RunningFlag {

		private boolean running = true;

		synchronized void interruptIfRunning(Thread thread) {
			if (this.running) {
				thread.interrupt();
			}
		}

		synchronized void stop() {
			this.running = false;
		}

	}

}
