package dev.jobpool.task;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Unit tests for {@link TaskControl}: its deadline and its abort switch, without Spring.
 */
class TaskControlTests {

	@Test
	void startedControlHasTimeLeftAndIsNotExpired() throws Exception {
		TaskControl control = TaskControl.withTimeout(Duration.ofMinutes(10));
		assertThat(control.timeout()).isEqualTo(Duration.ofMinutes(10));
		assertThat(control.expired()).isFalse();
		assertThat(control.remaining()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(10));
		assertThat(control.remaining()).isGreaterThan(Duration.ofMinutes(9));
		assertThat(control.abortReason()).isNull();
		control.checkNotAborted();
	}

	@Test
	void remainingShrinksAsTimePasses() {
		TaskControl control = TaskControl.withTimeout(Duration.ofMinutes(10));
		Duration first = control.remaining();
		await().atMost(Duration.ofSeconds(10)).until(() -> control.remaining().compareTo(first) < 0);
	}

	@Test
	void passedDeadlineIsExpiredWithNothingRemaining() {
		TaskControl control = TaskControl.withTimeout(Duration.ofMillis(1));
		await().atMost(Duration.ofSeconds(10)).until(control::expired);
		assertThat(control.remaining()).isZero();
	}

	@Test
	void zeroTimeoutExpiresAtOnce() {
		TaskControl control = TaskControl.withTimeout(Duration.ZERO);
		assertThat(control.expired()).isTrue();
		assertThat(control.remaining()).isZero();
	}

	@Test
	void checkAfterDeadlineAbortsWithTimeout() {
		TaskControl control = TaskControl.withTimeout(Duration.ZERO);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(control::checkNotAborted)
			.satisfies((failure) -> assertThat(failure.code()).isEqualTo(TaskErrorCode.TIMEOUT));
		assertThat(control.abortReason()).isEqualTo(TaskControl.AbortReason.TIMEOUT);
	}

	@Test
	void unstartedControlDoesNotRunItsClock() {
		TaskControl control = TaskControl.unstarted(Duration.ZERO);
		assertThat(control.expired()).isFalse();
		assertThat(control.remaining()).isEqualTo(Duration.ZERO);
	}

	@Test
	void unstartedControlStartsItsDeadlineOnStart() {
		TaskControl control = TaskControl.unstarted(Duration.ofMinutes(5));
		assertThat(control.remaining()).isEqualTo(Duration.ofMinutes(5));
		control.start();
		assertThat(control.expired()).isFalse();
		await().atMost(Duration.ofSeconds(10)).until(() -> control.remaining().compareTo(Duration.ofMinutes(5)) < 0);
		TaskControl zero = TaskControl.unstarted(Duration.ZERO);
		zero.start();
		assertThat(zero.expired()).isTrue();
	}

	@Test
	void cancelAbortsWithCancelled() {
		TaskControl control = TaskControl.withTimeout(Duration.ofMinutes(1));
		assertThat(control.abort(TaskControl.AbortReason.CANCELLED)).isTrue();
		assertThat(control.abortReason()).isEqualTo(TaskControl.AbortReason.CANCELLED);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(control::checkNotAborted)
			.satisfies((failure) -> assertThat(failure.code()).isEqualTo(TaskErrorCode.CANCELLED));
	}

	@Test
	void firstAbortReasonWins() {
		TaskControl control = TaskControl.withTimeout(Duration.ofMinutes(1));
		assertThat(control.abort(TaskControl.AbortReason.TIMEOUT)).isTrue();
		assertThat(control.abort(TaskControl.AbortReason.CANCELLED)).isFalse();
		assertThat(control.abortReason()).isEqualTo(TaskControl.AbortReason.TIMEOUT);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(control::checkNotAborted)
			.satisfies((failure) -> assertThat(failure.code()).isEqualTo(TaskErrorCode.TIMEOUT));
	}

	@Test
	void abortActionsRunOnceOnAbort() {
		TaskControl control = TaskControl.withTimeout(Duration.ofMinutes(1));
		AtomicInteger first = new AtomicInteger();
		AtomicInteger second = new AtomicInteger();
		control.onAbort(first::incrementAndGet);
		control.onAbort(second::incrementAndGet);
		assertThat(first).hasValue(0);
		control.abort(TaskControl.AbortReason.CANCELLED);
		control.abort(TaskControl.AbortReason.CANCELLED);
		control.abort(TaskControl.AbortReason.TIMEOUT);
		assertThat(first).hasValue(1);
		assertThat(second).hasValue(1);
	}

	@Test
	void abortActionRegisteredAfterAbortRunsAtOnce() {
		TaskControl control = TaskControl.withTimeout(Duration.ofMinutes(1));
		control.abort(TaskControl.AbortReason.TIMEOUT);
		AtomicInteger runs = new AtomicInteger();
		control.onAbort(runs::incrementAndGet);
		assertThat(runs).hasValue(1);
		control.abort(TaskControl.AbortReason.CANCELLED);
		assertThat(runs).hasValue(1);
	}

	@Test
	void timeoutFoundByCheckRunsAbortActions() {
		TaskControl control = TaskControl.withTimeout(Duration.ZERO);
		AtomicInteger runs = new AtomicInteger();
		control.onAbort(runs::incrementAndGet);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(control::checkNotAborted);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(control::checkNotAborted);
		assertThat(runs).hasValue(1);
	}

	@Test
	void interruptedThreadIsCancelled() {
		TaskControl control = TaskControl.withTimeout(Duration.ofMinutes(1));
		Thread.currentThread().interrupt();
		try {
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(control::checkNotAborted)
				.satisfies((failure) -> assertThat(failure.code()).isEqualTo(TaskErrorCode.CANCELLED));
			assertThat(control.abortReason()).isEqualTo(TaskControl.AbortReason.CANCELLED);
		}
		finally {
			Thread.interrupted();
		}
	}

	@Test
	void failureNamesItsCodeAndTheDeadline() {
		TaskControl control = TaskControl.unstarted(Duration.ofMillis(1500));
		TaskFailedException timeout = control.failure(TaskControl.AbortReason.TIMEOUT);
		assertThat(timeout.code()).isEqualTo(TaskErrorCode.TIMEOUT);
		assertThat(timeout.code().code()).isEqualTo("timeout");
		assertThat(timeout).hasMessageContaining("1500 ms");
		TaskFailedException cancelled = control.failure(TaskControl.AbortReason.CANCELLED);
		assertThat(cancelled.code()).isEqualTo(TaskErrorCode.CANCELLED);
		assertThat(cancelled.code().code()).isEqualTo("cancelled");
		assertThat(cancelled).hasMessage("task was cancelled");
		assertThat(control.abortReason()).as("failure() describes, it does not abort").isNull();
	}

}
