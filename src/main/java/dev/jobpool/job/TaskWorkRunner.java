package dev.jobpool.job;

import org.springframework.stereotype.Component;

import dev.jobpool.fetch.UrlFetcher;
import dev.jobpool.sum.RangeSum;
import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskFailedException;
import dev.jobpool.task.TaskWork;
import dev.jobpool.task.WorkRunner;

/**
 * Runs sum and fetch work in the calling thread, for the executors that run tasks inside
 * the service.
 */
@Component
class TaskWorkRunner implements WorkRunner {

	private final UrlFetcher fetcher;

	TaskWorkRunner(UrlFetcher fetcher) {
		this.fetcher = fetcher;
	}

	@Override
	public Object run(TaskWork work, TaskControl control) throws TaskFailedException {
		return switch (work) {
			case TaskWork.Sum(long n) -> RangeSum.sumBelow(n, control);
			case TaskWork.SumRange(long from, long to) -> RangeSum.sumBetween(from, to, control);
			case TaskWork.Fetch(var url) -> this.fetcher.fetch(url, control);
		};
	}

}
