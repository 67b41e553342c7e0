package dev.jobpool.job;

import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.execution.ExecutorLoad;
import dev.jobpool.execution.Routing;
import dev.jobpool.execution.TaskExecutor;
import dev.jobpool.execution.TaskSubmission;
import dev.jobpool.execution.WorkerInfo;
import dev.jobpool.execution.WorkerKind;
import dev.jobpool.task.FetchResult;
import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskOutcome;
import dev.jobpool.task.TaskResult;
import dev.jobpool.task.TaskWork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@link Job} state machine on its own: a fake executor that the test drives by hand,
 * no Spring and no threads of work.
 */
class JobTests {

	private static final WorkerInfo WORKER = new WorkerInfo(WorkerKind.THREAD, "fake-1", 1);

	private final DeadlineTimer deadlines = new DeadlineTimer();

	private final FakeExecutor executor = new FakeExecutor();

	private final RecordingEvents events = new RecordingEvents();

	@AfterEach
	void stopTimer() {
		this.deadlines.destroy();
	}

	@Test
	void dispatchKeepsAtMostConcurrencyUnitsWithTheExecutor() {
		LocalJob job = sumJob(2, 1, 2, 3, 4, 5);
		job.start();
		assertThat(this.executor.submitted).hasSize(2);
		assertThat(works()).containsExactly(new TaskWork.Sum(1), new TaskWork.Sum(2));

		this.executor.start(0);
		this.executor.start(1);
		assertThat(this.executor.submitted).as("starting does not free a slot").hasSize(2);

		this.executor.succeed(1, BigInteger.ONE);
		assertThat(this.executor.submitted).hasSize(3);
		assertThat(works().get(2)).isEqualTo(new TaskWork.Sum(3));

		this.executor.start(2);
		this.executor.succeed(0, BigInteger.ZERO);
		this.executor.succeed(2, BigInteger.TWO);
		assertThat(this.executor.submitted).hasSize(5);
		assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
	}

	@Test
	void concurrencyAboveTheUnitCountSubmitsEveryUnit() {
		LocalJob job = sumJob(10, 1, 2, 3);
		job.start();
		assertThat(this.executor.submitted).hasSize(3);
		assertThat(job.view(false).concurrency()).isEqualTo(10);
	}

	@Test
	void jobGoesFromQueuedToRunningToSucceeded() {
		LocalJob job = sumJob(2, 10, 20);
		assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
		job.start();
		assertThat(job.status()).as("submitted but not started").isEqualTo(JobStatus.QUEUED);
		assertThat(job.view(true).startedAt()).isNull();

		this.executor.start(0);
		assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
		assertThat(this.events.firstStarts).containsExactly(true);
		JobView running = job.view(true);
		assertThat(running.startedAt()).isNotNull();
		assertThat(running.tasks()).extracting(JobView.TaskView::status)
			.containsExactly(TaskStatus.RUNNING, TaskStatus.QUEUED);
		assertThat(running.tasks().get(0).worker()).isEqualTo(WORKER.onReplica("replica-1"));

		this.executor.start(1);
		assertThat(this.events.firstStarts).containsExactly(true, false);
		this.executor.succeed(0, BigInteger.valueOf(45));
		assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
		assertThat(job.completion()).isNotDone();
		this.executor.succeed(1, BigInteger.valueOf(190));

		assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
		assertThat(job.completion()).isCompletedWithValue(job);
		assertThat(job.finishedAt()).isNotNull();
		JobView done = job.view(true);
		assertThat(done.result()).isEqualTo(new JobView.SumResult(BigInteger.valueOf(235)));
		assertThat(done.tasks()).extracting(JobView.TaskView::status)
			.containsExactly(TaskStatus.SUCCEEDED, TaskStatus.SUCCEEDED);
		assertThat(done.tasks()).extracting(JobView.TaskView::result)
			.containsExactly(new TaskResult.Sum(BigInteger.valueOf(45)), new TaskResult.Sum(BigInteger.valueOf(190)));
		assertThat(done.progress()).isEqualTo(new JobView.Progress(2, 2, 0, 0));
		assertThat(this.events.jobsFinished).isEqualTo(1);
		assertThat(this.events.tasksEnded).containsExactly(0, 1);
	}

	@Test
	void resultIsShownOnlyOnceTheSumJobSucceeded() {
		LocalJob job = sumJob(1, 10, 20);
		job.start();
		this.executor.start(0);
		this.executor.succeed(0, BigInteger.valueOf(45));
		assertThat(job.view(false).result()).isNull();
	}

	@Test
	void failedTaskFailsTheJobAndOthersKeepTheirOutcomes() {
		LocalJob job = sumJob(3, 1, 2, 3);
		job.start();
		IntStream.range(0, 3).forEach(this.executor::start);
		this.executor.succeed(0, BigInteger.ZERO);
		this.executor.fail(1, TaskErrorCode.INTERNAL, "boom");
		assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
		assertThat(this.executor.submitted.get(2).control().abortReason()).as("other tasks go on").isNull();
		this.executor.succeed(2, BigInteger.valueOf(3));

		assertThat(job.status()).isEqualTo(JobStatus.FAILED);
		assertThat(job.completion()).isCompletedWithValue(job);
		JobView view = job.view(true);
		assertThat(view.tasks()).extracting(JobView.TaskView::status)
			.containsExactly(TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.SUCCEEDED);
		assertThat(view.tasks().get(1).error()).isEqualTo(new JobView.TaskError(TaskErrorCode.INTERNAL, "boom"));
		assertThat(view.tasks().get(1).result()).isNull();
		assertThat(view.tasks().get(2).result()).isEqualTo(new TaskResult.Sum(BigInteger.valueOf(3)));
		assertThat(view.progress()).isEqualTo(new JobView.Progress(3, 3, 1, 0));
		assertThat(view.result()).isNull();
	}

	@Test
	void cancelDropsUnitsNotStartedAndAbortsRunningOnesThenWaitsForThem() {
		LocalJob job = sumJob(2, 1, 2, 3, 4);
		job.start();
		this.executor.start(0);
		TaskControl running = this.executor.submitted.get(0).control();
		TaskControl waiting = this.executor.submitted.get(1).control();

		assertThat(job.cancel("user asked")).isTrue();
		assertThat(running.abortReason()).isEqualTo(TaskControl.AbortReason.CANCELLED);
		assertThat(waiting.abortReason()).isEqualTo(TaskControl.AbortReason.CANCELLED);
		assertThat(this.events.dropped).isEqualTo(2);
		assertThat(job.status()).as("cancelled only once every task ended").isEqualTo(JobStatus.RUNNING);
		assertThat(job.completion()).isNotDone();
		JobView cancelling = job.view(true);
		assertThat(cancelling.cancelReason()).isEqualTo("user asked");
		assertThat(cancelling.tasks()).extracting(JobView.TaskView::status)
			.containsExactly(TaskStatus.RUNNING, TaskStatus.QUEUED, TaskStatus.CANCELLED, TaskStatus.CANCELLED);
		assertThat(job.cancel("again")).as("a second cancel changes nothing").isTrue();
		assertThat(job.view(false).cancelReason()).isEqualTo("user asked");

		// The executor takes the waiting unit, sees the abort and ends it unstarted.
		assertThat(this.executor.submitted.get(1).endIfAborted()).isTrue();
		assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
		this.executor.finish(0, new TaskOutcome.Failed(TaskErrorCode.CANCELLED, "task was cancelled"));

		assertThat(this.executor.submitted).as("dropped units never reach the executor").hasSize(2);
		assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
		assertThat(job.completion()).isCompletedWithValue(job);
		JobView cancelled = job.view(true);
		assertThat(cancelled.tasks()).extracting(JobView.TaskView::status).containsOnly(TaskStatus.CANCELLED);
		assertThat(cancelled.progress()).isEqualTo(new JobView.Progress(4, 4, 0, 4));
		assertThat(this.events.unitsEnded).containsExactly(false, true);
		assertThat(this.events.jobsFinished).isEqualTo(1);
		assertThat(job.cancel("late")).as("a finished job cannot be cancelled").isFalse();
	}

	@Test
	void cancelKeepsTheOutcomeOfTasksThatAlreadyEnded() {
		LocalJob job = sumJob(2, 1, 2, 3);
		job.start();
		this.executor.start(0);
		this.executor.succeed(0, BigInteger.ZERO);
		this.executor.start(1);
		job.cancel("enough");
		this.executor.succeed(1, BigInteger.ONE);
		assertThat(job.status()).as("task 2 was handed out and has not ended").isEqualTo(JobStatus.RUNNING);
		assertThat(this.executor.submitted.get(2).endIfAborted()).isTrue();
		assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
		assertThat(job.view(true).tasks()).extracting(JobView.TaskView::status)
			.containsExactly(TaskStatus.SUCCEEDED, TaskStatus.SUCCEEDED, TaskStatus.CANCELLED);
	}

	@Test
	void cancelBeforeAnythingWasSubmittedFinishesAtOnce() {
		LocalJob job = sumJob(1, 1, 2);
		assertThat(job.cancel("never mind")).isTrue();
		job.start();
		assertThat(this.executor.submitted).isEmpty();
		assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
		assertThat(job.completion()).isCompletedWithValue(job);
		assertThat(this.events.jobsFinished).isEqualTo(1);
		assertThat(job.view(false).progress()).isEqualTo(new JobView.Progress(2, 2, 0, 2));
	}

	@Test
	void progressCountsTasksAsTheyEnd() {
		LocalJob job = sumJob(4, 1, 2, 3, 4);
		job.start();
		IntStream.range(0, 4).forEach(this.executor::start);
		assertThat(job.view(false).progress()).isEqualTo(new JobView.Progress(4, 0, 0, 0));
		this.executor.succeed(3, BigInteger.ONE);
		assertThat(job.view(false).progress()).isEqualTo(new JobView.Progress(4, 1, 0, 0));
		this.executor.fail(0, TaskErrorCode.TIMEOUT, "late");
		assertThat(job.view(false).progress()).isEqualTo(new JobView.Progress(4, 2, 1, 0));
		this.executor.fail(1, TaskErrorCode.CANCELLED, "cancelled");
		assertThat(job.view(false).progress()).isEqualTo(new JobView.Progress(4, 3, 1, 1));
		assertThat(job.view(false).tasks()).as("a summary leaves the tasks out").isNull();
	}

	@Test
	void chunksOfOneSumAddUpToItsResult() {
		List<WorkUnit> units = List.of(new WorkUnit(0, new TaskWork.SumRange(0, 5)),
				new WorkUnit(0, new TaskWork.SumRange(5, 10)), new WorkUnit(1, new TaskWork.Sum(4)));
		LocalJob job = job(new JobSpec.Sum(List.of(10L, 4L), options(3)), units);
		job.start();
		assertThat(works()).containsExactly(new TaskWork.SumRange(0, 5), new TaskWork.SumRange(5, 10),
				new TaskWork.Sum(4));
		IntStream.range(0, 3).forEach(this.executor::start);
		this.executor.succeed(1, BigInteger.valueOf(35));
		assertThat(job.view(true).tasks().get(0).status()).as("one chunk still runs").isEqualTo(TaskStatus.RUNNING);
		this.executor.succeed(2, BigInteger.valueOf(6));
		this.executor.succeed(0, BigInteger.valueOf(10));

		JobView view = job.view(true);
		assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
		assertThat(view.tasks().get(0).result()).isEqualTo(new TaskResult.Sum(BigInteger.valueOf(45)));
		assertThat(view.tasks().get(0).chunks()).isEqualTo(2);
		assertThat(view.tasks().get(1).result()).isEqualTo(new TaskResult.Sum(BigInteger.valueOf(6)));
		assertThat(view.tasks().get(1).chunks()).isNull();
		assertThat(view.result()).isEqualTo(new JobView.SumResult(BigInteger.valueOf(51)));
		assertThat(this.events.tasksEnded).containsExactly(1, 0);
	}

	@Test
	void failedChunkStopsItsSiblingsAndSkipsTheRest() {
		List<WorkUnit> units = List.of(new WorkUnit(0, new TaskWork.SumRange(0, 5)),
				new WorkUnit(0, new TaskWork.SumRange(5, 10)), new WorkUnit(0, new TaskWork.SumRange(10, 15)),
				new WorkUnit(1, new TaskWork.Sum(4)));
		LocalJob job = job(new JobSpec.Sum(List.of(15L, 4L), options(2)), units);
		job.start();
		this.executor.start(0);
		this.executor.start(1);
		this.executor.fail(0, TaskErrorCode.WORKER_LOST, "worker died");

		assertThat(this.executor.submitted.get(1).control().abortReason()).isEqualTo(TaskControl.AbortReason.CANCELLED);
		assertThat(this.events.dropped).isEqualTo(1);
		assertThat(works()).as("the third chunk is skipped, the next task dispatched")
			.containsExactly(new TaskWork.SumRange(0, 5), new TaskWork.SumRange(5, 10), new TaskWork.Sum(4));
		this.executor.finish(1, new TaskOutcome.Failed(TaskErrorCode.CANCELLED, "task was cancelled"));
		this.executor.start(2);
		this.executor.succeed(2, BigInteger.valueOf(6));

		assertThat(job.status()).isEqualTo(JobStatus.FAILED);
		JobView.TaskView first = job.view(true).tasks().get(0);
		assertThat(first.status()).isEqualTo(TaskStatus.FAILED);
		assertThat(first.error()).as("the first failure decides")
			.isEqualTo(new JobView.TaskError(TaskErrorCode.WORKER_LOST, "worker died"));
	}

	@Test
	void runningTaskIsAbortedWhenItsDeadlinePasses() {
		LocalJob job = job(new JobSpec.Sum(List.of(1L), new JobSpec.JobOptions("platform", 1, Duration.ofMillis(50))),
				null);
		job.start();
		this.executor.start(0);
		TaskControl control = this.executor.submitted.get(0).control();
		await().atMost(Duration.ofSeconds(20)).until(() -> control.abortReason() != null);
		assertThat(control.abortReason()).isEqualTo(TaskControl.AbortReason.TIMEOUT);
	}

	@Test
	void fetchJobSummarisesItsResponses() {
		JobSpec.Fetch spec = new JobSpec.Fetch(List.of(URI.create("http://127.0.0.1/a"),
				URI.create("http://127.0.0.1/b"), URI.create("http://127.0.0.1/c")),
				new JobSpec.JobOptions("virtual", 3, Duration.ofMinutes(1)));
		LocalJob job = job(spec, null);
		job.start();
		IntStream.range(0, 3).forEach(this.executor::start);
		this.executor.finish(0, new TaskOutcome.Succeeded(fetched(200, 100)));
		this.executor.finish(1, new TaskOutcome.Succeeded(fetched(404, 7)));
		this.executor.fail(2, TaskErrorCode.CONNECT, "refused");

		JobView view = job.view(true);
		assertThat(view.status()).isEqualTo(JobStatus.FAILED);
		assertThat(view.type()).isEqualTo(JobType.FETCH);
		assertThat(view.tasks()).extracting(JobView.TaskView::input)
			.containsExactly("http://127.0.0.1/a", "http://127.0.0.1/b", "http://127.0.0.1/c");
		assertThat(view.result()).isEqualTo(new JobView.FetchSummary(2, 1, 107, Map.of("200", 1, "404", 1)));
	}

	private static FetchResult fetched(int status, long bytes) {
		return new FetchResult(status, bytes, "text/plain", "http://127.0.0.1/", "00", 1, 2, 0);
	}

	private List<TaskWork> works() {
		return this.executor.submitted.stream().map(TaskSubmission::work).toList();
	}

	private LocalJob sumJob(int concurrency, long... numbers) {
		return job(new JobSpec.Sum(Arrays.stream(numbers).boxed().toList(), options(concurrency)), null);
	}

	private static JobSpec.JobOptions options(int concurrency) {
		return new JobSpec.JobOptions("platform", concurrency, Duration.ofMinutes(1));
	}

	private LocalJob job(JobSpec spec, List<WorkUnit> units) {
		List<TaskWork> work = spec.work();
		List<WorkUnit> planned = (units != null) ? units
				: IntStream.range(0, work.size()).mapToObj((task) -> new WorkUnit(task, work.get(task))).toList();
		int concurrency = spec.options().concurrency();
		return new LocalJob("job-1", spec, new Routing(ExecutorKind.PLATFORM, spec.options().executor(), "test"),
				this.executor, new JobConcurrency(concurrency, concurrency, "as requested"), planned, this.deadlines,
				this.events, "replica-1");
	}

	/** Keeps what it is given; the test starts and ends each submission by hand. */
	private static final class FakeExecutor implements TaskExecutor {

		final List<TaskSubmission> submitted = new ArrayList<>();

		private final ExecutorLoad load = new ExecutorLoad();

		@Override
		public ExecutorKind kind() {
			return ExecutorKind.PLATFORM;
		}

		@Override
		public int size() {
			return 2;
		}

		@Override
		public ExecutorLoad load() {
			return this.load;
		}

		@Override
		public void submit(TaskSubmission submission) {
			this.submitted.add(submission);
		}

		@Override
		public void shutdown(Duration grace) {
		}

		void start(int index) {
			TaskSubmission submission = this.submitted.get(index);
			submission.control().start();
			submission.listener().started(WORKER);
		}

		void succeed(int index, BigInteger sum) {
			finish(index, new TaskOutcome.Succeeded(new TaskResult.Sum(sum)));
		}

		void fail(int index, TaskErrorCode code, String message) {
			finish(index, new TaskOutcome.Failed(code, message));
		}

		void finish(int index, TaskOutcome outcome) {
			this.submitted.get(index).listener().finished(outcome, Duration.ofMillis(1));
		}

	}

	private static final class RecordingEvents implements LocalJob.Events {

		final List<Boolean> firstStarts = new ArrayList<>();

		final List<Boolean> unitsEnded = new ArrayList<>();

		final List<Integer> tasksEnded = new ArrayList<>();

		int dropped;

		int jobsFinished;

		@Override
		public void unitStarted(LocalJob job, boolean firstOfJob) {
			this.firstStarts.add(firstOfJob);
		}

		@Override
		public void unitEnded(LocalJob job, boolean started) {
			this.unitsEnded.add(started);
		}

		@Override
		public void unitsDropped(LocalJob job, int count) {
			this.dropped += count;
		}

		@Override
		public void taskEnded(LocalJob job, TaskRun task) {
			this.tasksEnded.add(task.index);
		}

		@Override
		public void jobFinished(LocalJob job) {
			this.jobsFinished++;
		}

	}

}
