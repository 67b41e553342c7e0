package dev.jobpool.job;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.jobpool.task.TaskWork;

/**
 * A validated job request: what to compute and how.
 */
public sealed interface JobSpec {

	/**
	 * Return the job's type.
	 * @return the type
	 */
	JobType type();

	/**
	 * Return how the job should run.
	 * @return the options
	 */
	JobOptions options();

	/**
	 * Return one unit of work per task, in task order.
	 * @return the work
	 */
	List<TaskWork> work();

	/**
	 * Return each task's input as shown in JSON, in task order.
	 * @return the inputs
	 */
	List<Object> inputs();

	/**
	 * Sum jobs: one task per n.
	 *
	 * @param numbers the n of each task
	 * @param options how to run
	 */
	record Sum(List<Long> numbers, JobOptions options) implements JobSpec {

		public Sum {
			numbers = List.copyOf(numbers);
		}

		@Override
		public JobType type() {
			return JobType.SUM;
		}

		@Override
		public List<TaskWork> work() {
			return this.numbers.stream().<TaskWork>map(TaskWork.Sum::new).toList();
		}

		@Override
		public List<Object> inputs() {
			return List.copyOf(this.numbers);
		}

	}

	/**
	 * Fetch jobs: one task per URL.
	 *
	 * @param urls the URL of each task
	 * @param options how to run
	 */
	record Fetch(List<URI> urls, JobOptions options) implements JobSpec {

		public Fetch {
			urls = List.copyOf(urls);
		}

		@Override
		public JobType type() {
			return JobType.FETCH;
		}

		@Override
		public List<TaskWork> work() {
			return this.urls.stream().<TaskWork>map(TaskWork.Fetch::new).toList();
		}

		@Override
		public List<Object> inputs() {
			return this.urls.stream().<Object>map(URI::toString).toList();
		}

	}

	/**
	 * How a job runs.
	 *
	 * @param executor the executor asked for, an executor's name or {@code auto}
	 * @param concurrency most of the job's tasks to run at once, or {@code null} for as
	 * many as the executor can
	 * @param timeout each task's deadline
	 * @param callback where to POST the job once it has ended, if anywhere
	 */
	record JobOptions(String executor, @Nullable Integer concurrency, Duration timeout, @Nullable URI callback) {

		/**
		 * Options of a job without a callback.
		 * @param executor the executor asked for
		 * @param concurrency most of the job's tasks that run at once, if given
		 * @param timeout each task's deadline
		 */
		public JobOptions(String executor, @Nullable Integer concurrency, Duration timeout) {
			this(executor, concurrency, timeout, null);
		}

	}

}
