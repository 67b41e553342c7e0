package dev.jobpool.execution;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobpool.task.WorkRunner;

/**
 * Runs tasks on a fixed pool of named platform threads with a bounded queue: the
 * {@code platform} executor (one thread per core) and the {@code sequential} one (a
 * single thread).
 */
final class PooledTaskExecutor extends ThreadTaskExecutor {

	private static final Logger logger = LoggerFactory.getLogger(PooledTaskExecutor.class);

	private final ThreadPoolExecutor pool;

	PooledTaskExecutor(ExecutorKind kind, WorkRunner runner, int threads, int queueCapacity) {
		super(kind, runner);
		this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(queueCapacity),
				Thread.ofPlatform().name("jobpool-" + kind.id() + "-", 1).daemon(false).factory(),
				new ThreadPoolExecutor.AbortPolicy());
		this.pool.prestartAllCoreThreads();
	}

	@Override
	public int size() {
		return this.pool.getMaximumPoolSize();
	}

	@Override
	public void submit(TaskSubmission handed) {
		TaskSubmission submission = load().track(handed);
		try {
			this.pool.execute(() -> runHere(submission));
		}
		catch (RejectedExecutionException ex) {
			reject(submission, this.pool.isShutdown() ? "shutting down" : "queue full");
		}
	}

	@Override
	public void shutdown(Duration grace) {
		this.pool.shutdown();
		try {
			if (!this.pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("{} executor: tasks still running after {}, interrupting them", kind().id(), grace);
				this.pool.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			this.pool.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

}
