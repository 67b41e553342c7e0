package dev.jobpool.execution;

import java.time.Duration;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobpool.task.WorkRunner;

/**
 * Starts a new virtual thread per task. Bounded like every executor: past
 * {@code maxRunning} tasks at once, the rest wait in a queue (whose length the job
 * admission bounds).
 */
final class VirtualTaskExecutor extends ThreadTaskExecutor {

	private static final Logger logger = LoggerFactory.getLogger(VirtualTaskExecutor.class);

	private final ThreadFactory threads = Thread.ofVirtual().name("jobpool-virtual-", 1).factory();

	private final int maxRunning;

	private final AtomicInteger running = new AtomicInteger();

	private final Queue<TaskSubmission> waiting = new ConcurrentLinkedQueue<>();

	private final Set<Thread> live = ConcurrentHashMap.newKeySet();

	private volatile boolean shutdown;

	VirtualTaskExecutor(WorkRunner runner, int maxRunning) {
		super(ExecutorKind.VIRTUAL, runner);
		this.maxRunning = maxRunning;
	}

	@Override
	public int size() {
		return this.maxRunning;
	}

	@Override
	public void submit(TaskSubmission handed) {
		TaskSubmission submission = load().track(handed);
		if (this.shutdown) {
			reject(submission, "shutting down");
			return;
		}
		this.waiting.add(submission);
		drain();
	}

	private void drain() {
		while (!this.waiting.isEmpty()) {
			int now = this.running.get();
			if (now >= this.maxRunning) {
				return;
			}
			if (!this.running.compareAndSet(now, now + 1)) {
				continue;
			}
			TaskSubmission next = this.waiting.poll();
			if (next == null) {
				this.running.decrementAndGet();
				continue;
			}
			start(next);
		}
	}

	private void start(TaskSubmission submission) {
		Thread thread = this.threads.newThread(() -> {
			try {
				runHere(submission);
			}
			finally {
				this.live.remove(Thread.currentThread());
				this.running.decrementAndGet();
				drain();
			}
		});
		this.live.add(thread);
		thread.start();
	}

	@Override
	public void shutdown(Duration grace) {
		this.shutdown = true;
		TaskSubmission left;
		while ((left = this.waiting.poll()) != null) {
			reject(left, "shutting down");
		}
		long deadline = System.nanoTime() + grace.toNanos();
		try {
			for (Thread thread : Set.copyOf(this.live)) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0 || !thread.join(Duration.ofNanos(remaining))) {
					break;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (!this.live.isEmpty()) {
			logger.warn("virtual executor: {} tasks still running after {}, interrupting them", this.live.size(),
					grace);
			this.live.forEach(Thread::interrupt);
		}
	}

}
