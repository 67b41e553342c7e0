package dev.jobpool.work;

import java.util.function.Supplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;

import dev.jobpool.fetch.UrlFetcher;
import dev.jobpool.sum.RangeSum;
import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskFailedException;
import dev.jobpool.task.TaskResult;
import dev.jobpool.task.TaskWork;
import dev.jobpool.task.WorkRunner;

/**
 * Runs sum and fetch work in the calling thread: the one place where a task's work turns
 * into its result, for the executors that run tasks inside the service and for worker
 * processes alike.
 */
public final class TaskWorkRunner implements WorkRunner, AutoCloseable {

	private final Supplier<UrlFetcher> fetcher;

	private final @Nullable OwnFetcher own;

	private TaskWorkRunner(OwnFetcher own) {
		this.fetcher = own;
		this.own = own;
	}

	/**
	 * Create a runner that fetches with the given fetcher, which its owner closes.
	 * @param fetcher the service's shared fetcher
	 */
	public TaskWorkRunner(UrlFetcher fetcher) {
		this.fetcher = () -> fetcher;
		this.own = null;
	}

	/**
	 * Create the runner of a worker process: it fetches with a fetcher of its own, built
	 * from the worker's settings on the first fetch, since the HTTP client costs start-up
	 * time that a worker running only sums never needs. {@link #close()} closes it.
	 * @param settings the worker's settings, asked for once, by the first fetch
	 * @return the runner
	 */
	public static TaskWorkRunner forWorker(Supplier<WorkerSettings> settings) {
		return new TaskWorkRunner(new OwnFetcher(settings));
	}

	@Override
	public TaskResult run(TaskWork work, TaskControl control) throws TaskFailedException {
		return switch (work) {
			case TaskWork.Sum(long n) -> new TaskResult.Sum(RangeSum.sumBelow(n, control));
			case TaskWork.SumRange(long from, long to) -> new TaskResult.Sum(RangeSum.sumBetween(from, to, control));
			case TaskWork.Fetch(var url) -> this.fetcher.get().fetch(url, control);
		};
	}

	/**
	 * Close the fetcher this runner built, if it owns one and built it.
	 */
	@Override
	public void close() {
		if (this.own != null) {
			this.own.close();
		}
	}

	/** A fetcher built when it is first asked for, and closed as its runner closes. */
	private static final class OwnFetcher implements Supplier<UrlFetcher> {

		private final Supplier<WorkerSettings> settings;

		private @Nullable UrlFetcher fetcher;

		OwnFetcher(Supplier<WorkerSettings> settings) {
			this.settings = settings;
		}

		@Override
		public synchronized UrlFetcher get() {
			if (this.fetcher == null) {
				this.fetcher = new UrlFetcher(this.settings.get().fetch(), new SimpleMeterRegistry());
			}
			return this.fetcher;
		}

		synchronized void close() {
			if (this.fetcher != null) {
				this.fetcher.close();
			}
		}

	}

}
