package dev.jobpool.sum;

import java.math.BigInteger;

import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskFailedException;

/**
 * Computes {@code sum(range(0, n))} = 0 + 1 + … + (n - 1) the slow way, by iterating: the
 * loop is the CPU-bound work a sum job stands for. The result is exact for every
 * {@code n} up to {@link #MAX_N}, far past where the sum leaves a {@code long}.
 */
public final class RangeSum {

	/**
	 * The largest {@code n} accepted. The sum below it stays under 2^79 and each chunk's
	 * partial sum under 2^61, so a {@code long} per chunk and a 128-bit total are exact.
	 */
	public static final long MAX_N = 1L << 40;

	/**
	 * How many additions run between two checks of the task's deadline: small enough to
	 * stop within a millisecond, large enough for the JIT to unroll the loop.
	 */
	static final int CHUNK = 1 << 20;

	private RangeSum() {
	}

	/**
	 * Add up {@code 0 … n-1} by iterating, stopping if the task is aborted.
	 * @param n how many numbers to add, from 0 to {@link #MAX_N}
	 * @param control the running task's deadline and abort switch
	 * @return the exact sum
	 * @throws TaskFailedException if the task passed its deadline or was cancelled
	 */
	public static BigInteger sumBelow(long n, TaskControl control) throws TaskFailedException {
		return sumBetween(0, n, control);
	}

	/**
	 * Add up {@code from … to-1} by iterating, stopping if the task is aborted. Splitting
	 * one sum into ranges lets several workers share it.
	 * @param from the first number added, at least 0
	 * @param to one past the last number added, at most {@link #MAX_N}
	 * @param control the running task's deadline and abort switch
	 * @return the exact sum
	 * @throws TaskFailedException if the task passed its deadline or was cancelled
	 */
	public static BigInteger sumBetween(long from, long to, TaskControl control) throws TaskFailedException {
		if (from < 0 || to > MAX_N || from > to) {
			throw new IllegalArgumentException("range must lie within [0, " + MAX_N + "]: " + from + ".." + to);
		}
		long high = 0;
		long low = 0;
		for (long start = from; start < to; start += CHUNK) {
			control.checkNotAborted();
			int length = (int) Math.min(CHUNK, to - start);
			long chunk = 0;
			for (int i = 0; i < length; i++) {
				chunk += start + i;
			}
			long sum = low + chunk;
			if (Long.compareUnsigned(sum, low) < 0) {
				high++;
			}
			low = sum;
		}
		return BigInteger.valueOf(high).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(low)));
	}

	/**
	 * Return the closed form {@code n(n-1)/2}, for checking the loop, never instead of
	 * it.
	 * @param n how many numbers
	 * @return the exact sum of {@code 0 … n-1}
	 */
	public static BigInteger closedForm(long n) {
		BigInteger big = BigInteger.valueOf(n);
		return big.multiply(big.subtract(BigInteger.ONE)).shiftRight(1).max(BigInteger.ZERO);
	}

}
