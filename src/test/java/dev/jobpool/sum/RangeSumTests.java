package dev.jobpool.sum;

import java.math.BigInteger;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskFailedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RangeSumTests {

	private static final BigInteger TWO_TO_63 = BigInteger.TWO.pow(63);

	private static TaskControl generous() {
		return TaskControl.withTimeout(Duration.ofMinutes(5));
	}

	@ParameterizedTest
	@ValueSource(longs = { 0, 1, 2, 3, 10, 1_000, RangeSum.CHUNK - 1, RangeSum.CHUNK, RangeSum.CHUNK + 1, 10_000_000 })
	void sumMatchesClosedForm(long n) throws TaskFailedException {
		assertThat(RangeSum.sumBelow(n, generous())).isEqualTo(RangeSum.closedForm(n));
	}

	@Test
	void sumOfTenMillionIsTheClassicAnswer() throws TaskFailedException {
		assertThat(RangeSum.sumBelow(10_000_000, generous())).isEqualTo(new BigInteger("49999995000000"));
	}

	@Test
	void rangesFarUpStayExactPastTwoToThe63() throws TaskFailedException {
		long to = RangeSum.MAX_N;
		long from = to - 20_000_000;
		BigInteger sum = RangeSum.sumBetween(from, to, generous());
		assertThat(sum).isGreaterThan(TWO_TO_63);
		assertThat(sum).isEqualTo(RangeSum.closedForm(to).subtract(RangeSum.closedForm(from)));
	}

	@Test
	void rangeThatCarriesPastTwoToThe64InOneStepIsExact() throws TaskFailedException {
		long from = RangeSum.MAX_N - 3 * (long) RangeSum.CHUNK * 16;
		BigInteger sum = RangeSum.sumBetween(from, RangeSum.MAX_N, generous());
		assertThat(sum).isGreaterThan(BigInteger.TWO.pow(64));
		assertThat(sum).isEqualTo(RangeSum.closedForm(RangeSum.MAX_N).subtract(RangeSum.closedForm(from)));
	}

	@Test
	void closedFormOfTheLargestDefaultNExceedsALong() {
		assertThat(RangeSum.closedForm(10_000_000_000L)).isEqualTo(new BigInteger("49999999995000000000"))
			.isGreaterThan(TWO_TO_63);
	}

	@Test
	void stopsWhenTheDeadlinePasses() {
		TaskControl control = TaskControl.withTimeout(Duration.ofMillis(50));
		long start = System.nanoTime();
		assertThatExceptionOfType(TaskFailedException.class)
			.isThrownBy(() -> RangeSum.sumBelow(RangeSum.MAX_N, control))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(TaskErrorCode.TIMEOUT));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void stopsWhenAborted() {
		TaskControl control = TaskControl.withTimeout(Duration.ofMinutes(5));
		control.abort(TaskControl.AbortReason.CANCELLED);
		assertThatExceptionOfType(TaskFailedException.class)
			.isThrownBy(() -> RangeSum.sumBelow(RangeSum.MAX_N, control))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(TaskErrorCode.CANCELLED));
	}

	@Test
	void refusesRangesOutsideTheLimit() {
		assertThatIllegalArgumentException().isThrownBy(() -> RangeSum.sumBelow(-1, generous()));
		assertThatIllegalArgumentException().isThrownBy(() -> RangeSum.sumBelow(RangeSum.MAX_N + 1, generous()));
	}

}
