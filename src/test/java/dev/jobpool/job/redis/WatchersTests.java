package dev.jobpool.job.redis;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who on a replica hears of a job's change: the store's messages from other steps and
 * other replicas wake everyone; those of this replica's own reports are let go, since the
 * report's answer tells the watchers first.
 */
class WatchersTests {

	private final Watchers watchers = new Watchers("r1");

	private final AtomicInteger stream = new AtomicInteger();

	private final AtomicInteger waiter = new AtomicInteger();

	private final Runnable onChange = this.stream::incrementAndGet;

	private final Runnable onEnd = this.waiter::incrementAndGet;

	WatchersTests() {
		this.watchers.watch("job", this.onChange);
		this.watchers.watchEnd("job", this.onEnd);
	}

	@Test
	void aMessageFromAnotherReplicaOrAnotherStepWakesEveryWatcherOfTheJob() {
		this.watchers.wake("job", "r2");
		this.watchers.wake("job", null);
		this.watchers.wake("other", "r2");

		assertThat(this.stream).hasValue(2);
		assertThat(this.waiter).hasValue(2);
	}

	@Test
	void theMessageOfThisReplicasOwnReportIsLetGo() {
		this.watchers.wake("job", "r1");

		assertThat(this.stream).hasValue(0);
		assertThat(this.waiter).hasValue(0);
	}

	@Test
	void aTaskEndedByThisReplicaWakesTheEventStreamsButNotWhoWaitsForTheEnd() {
		this.watchers.taskEnded("job");

		assertThat(this.stream).hasValue(1);
		assertThat(this.waiter).hasValue(0);
	}

	@Test
	void aJobFinishedByThisReplicaWakesEveryoneWithItsFinalStateKeptForOneWaiter() {
		RedisStore.WholeJob whole = new RedisStore.WholeJob(Map.of("status", "succeeded"), new TaskFields(), "[1]");
		this.watchers.keepFinal("job", whole);

		assertThat(this.watchers.peekFinal("job")).isSameAs(whole);
		this.watchers.finished("job");

		assertThat(this.stream).hasValue(1);
		assertThat(this.waiter).hasValue(1);
		assertThat(this.watchers.finishedHere("job")).isTrue();
		assertThat(this.watchers.takeFinal("job")).isSameAs(whole);
		assertThat(this.watchers.takeFinal("job")).as("taken by the first waiter").isNull();
	}

	@Test
	void theSecondlyPollWakesWhoStillWatches() {
		this.watchers.wakeAll();
		this.watchers.unwatchEnd("job", this.onEnd);
		this.watchers.wakeAll();

		assertThat(this.stream).hasValue(2);
		assertThat(this.waiter).hasValue(1);
		assertThat(this.watchers.size()).isEqualTo(1);
	}

}
