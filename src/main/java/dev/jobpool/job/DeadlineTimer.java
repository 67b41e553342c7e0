package dev.jobpool.job;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import dev.jobpool.task.TaskControl;

/**
 * Aborts tasks that run past their deadline, on one shared timer thread, whatever
 * executor runs them.
 */
@Component
public class DeadlineTimer implements DisposableBean {

	private final ScheduledThreadPoolExecutor timer;

	DeadlineTimer() {
		this.timer = new ScheduledThreadPoolExecutor(1,
				Thread.ofPlatform().name("jobpool-deadlines").daemon().factory());
		this.timer.setRemoveOnCancelPolicy(true);
	}

	/**
	 * Abort the started task when its deadline passes.
	 * @param control the task's control
	 * @return what to cancel when the task ends first
	 */
	public Future<?> watch(TaskControl control) {
		return this.timer.schedule(() -> control.abort(TaskControl.AbortReason.TIMEOUT), control.remaining().toNanos(),
				TimeUnit.NANOSECONDS);
	}

	@Override
	public void destroy() {
		this.timer.shutdownNow();
	}

}
