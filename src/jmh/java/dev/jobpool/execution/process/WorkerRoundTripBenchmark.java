package dev.jobpool.execution.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.jobpool.task.TaskWork;

/**
 * One task's round trip to a pooled worker process, below the executor: write the request to the
 * worker's stdin, let it run {@code sum(range(n))}, read its answer from its stdout. With
 * {@code n = 1} the work is nothing and what is left is the dispatch cost (pipes, framing, the
 * worker's loop). The worker is started once per fork, with the service's default JVM options.
 */
@BenchmarkMode({ Mode.AverageTime, Mode.SampleTime })
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class WorkerRoundTripBenchmark {

	/** 1: the round trip alone; 10^6: a small real task, for scale. */
	@Param({ "1", "1000000" })
	public long n;

	private WorkerProcess worker;

	private WorkerProtocol.Request request;

	@Setup(Level.Trial)
	public void startWorker() throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		// The defaults of jobpool.process.jvm-options.
		command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:-UsePerfData"));
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(),
				"--parent-pid=" + ProcessHandle.current().pid()));
		this.worker = WorkerProcess.start(command, Duration.ofSeconds(30));
		this.request = new WorkerProtocol.Request(new TaskWork.Sum(this.n), Duration.ofMinutes(1).toNanos());
	}

	@Benchmark
	public long roundTrip() throws IOException {
		WorkerProtocol.Response response = this.worker.run(this.request);
		if (response.result() == null) {
			throw new IllegalStateException("The worker failed the task: " + response.errorMessage());
		}
		return response.runNanos();
	}

	@TearDown(Level.Trial)
	public void stopWorker() {
		this.worker.stop(Duration.ofSeconds(5));
	}

}
