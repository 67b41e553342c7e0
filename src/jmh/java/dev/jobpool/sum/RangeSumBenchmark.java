package dev.jobpool.sum;

import java.math.BigInteger;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskFailedException;

/**
 * The sum loop itself, without executors or HTTP: how long {@code sum(range(n))} takes on one
 * thread, and on one thread per core at once (the same time per call means the loop scales with
 * the cores; more means they share something, such as a memory bus or a turbo budget). Divide
 * {@code n} by the time for additions per nanosecond per core.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = { "-Xmx256m" })
@State(Scope.Thread)
public class RangeSumBenchmark {

	/** 10^7 is the classic task; 10^8 leaves call overhead far behind. */
	@Param({ "10000000", "100000000" })
	public long n;

	private TaskControl control;

	@Setup
	public void control() {
		this.control = TaskControl.withTimeout(Duration.ofHours(1));
	}

	@Benchmark
	public BigInteger oneThread() throws TaskFailedException {
		return RangeSum.sumBetween(0, this.n, this.control);
	}

	@Benchmark
	@Threads(Threads.MAX)
	public BigInteger oneThreadPerCore() throws TaskFailedException {
		return RangeSum.sumBetween(0, this.n, this.control);
	}

}
