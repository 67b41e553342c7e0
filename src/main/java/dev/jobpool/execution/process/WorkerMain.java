package dev.jobpool.execution.process;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskResult;
import dev.jobpool.task.TaskFailedException;
import dev.jobpool.task.TaskWork;
import dev.jobpool.task.WorkRunner;
import dev.jobpool.work.TaskWorkRunner;
import dev.jobpool.work.WorkerSettings;

/**
 * The main class of a worker process: reads tasks from stdin, runs them one at a time,
 * writes each answer to stdout. No Spring context: a worker starts in a fraction of the
 * service's time. It exits when stdin ends (the service closed it, or died) or when the
 * service's process ends.
 */
public final class WorkerMain {

	private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private static final int WARM_UP_CALLS = 1_000;

	private static final Path PROC_STATUS = Path.of("/proc/self/status");

	private static final String VM_RSS = "VmRSS:";

	private WorkerMain() {
	}

	/**
	 * Run the worker. Its first message on stdin is its settings; it answers that it is
	 * ready, then runs the tasks that follow.
	 * @param args {@code --parent-pid=…}, and {@code --warm-up=true} for a long-lived
	 * worker
	 * @throws IOException if stdout breaks
	 */
	public static void main(String[] args) throws IOException {
		Map<String, String> options = parse(args);
		// stdout carries the protocol: anything else printed must go to stderr.
		DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
		System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
		exitWithParent(options.get("parent-pid"));
		DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
		byte[] settings = WorkerProtocol.readSettings(in);
		// Without settings the service closed stdin at once: there is nothing to run.
		if (settings != null) {
			serve(in, out, settings, Boolean.parseBoolean(options.get("warm-up")));
		}
		System.exit(0);
	}

	private static void serve(DataInputStream in, DataOutputStream out, byte[] settings, boolean warmUp)
			throws IOException {
		try (TaskWorkRunner runner = TaskWorkRunner.forWorker(new SettingsFrame(settings))) {
			if (warmUp) {
				warmUp(runner);
			}
			out.writeInt(WorkerProtocol.READY);
			out.flush();
			WorkerProtocol.Request request;
			while ((request = WorkerProtocol.readRequest(in, out)) != null) {
				WorkerProtocol.writeResponse(out, run(request, runner));
			}
		}
	}

	/**
	 * Run the sum loop enough times for the JIT to compile it fully before the first
	 * task, so that a pooled worker is as fast on its first tasks as on its thousandth.
	 * About 40 ms of CPU.
	 */
	private static void warmUp(WorkRunner runner) {
		TaskControl control = TaskControl.withTimeout(Duration.ofSeconds(10));
		try {
			for (int i = 0; i < WARM_UP_CALLS; i++) {
				runner.run(new TaskWork.SumRange(i, i + 100_000), control);
			}
		}
		catch (TaskFailedException ex) {
			// A slow machine: the worker is ready anyway, only less warm.
		}
	}

	private static WorkerProtocol.Response run(WorkerProtocol.Request request, WorkRunner runner) {
		TaskControl control = TaskControl.withTimeout(Duration.ofNanos(request.timeoutNanos()));
		long cpuBefore = threads.getCurrentThreadCpuTime();
		long start = System.nanoTime();
		TaskResult result = null;
		TaskErrorCode code = null;
		String message = null;
		try {
			result = runner.run(request.work(), control);
		}
		catch (TaskFailedException ex) {
			code = ex.code();
			message = ex.getMessage();
		}
		catch (RuntimeException ex) {
			code = TaskErrorCode.INTERNAL;
			message = ex.toString();
		}
		long runNanos = System.nanoTime() - start;
		long cpuNanos = threads.getCurrentThreadCpuTime() - cpuBefore;
		return new WorkerProtocol.Response(result, code, message, runNanos, cpuNanos, residentBytes());
	}

	private static void exitWithParent(String parentPid) {
		if (parentPid == null) {
			return;
		}
		ProcessHandle.of(Long.parseLong(parentPid))
			.ifPresentOrElse((parent) -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3)),
					() -> Runtime.getRuntime().halt(3));
	}

	/**
	 * Return the resident set size, from {@code /proc/self/status}; without
	 * {@code /proc}, the heap in use, the part of memory a task can grow. Runs after
	 * every task, so it finds the field with indexOf rather than splitting lines with a
	 * regular expression.
	 */
	private static long residentBytes() {
		try {
			String status = Files.readString(PROC_STATUS);
			int at = status.indexOf(VM_RSS);
			int end = (at >= 0) ? status.indexOf("kB", at) : -1;
			if (end > 0) {
				return Long.parseLong(status.substring(at + VM_RSS.length(), end).strip()) * 1024;
			}
		}
		catch (IOException | RuntimeException ex) {
			// Not Linux: fall back to the heap.
		}
		Runtime runtime = Runtime.getRuntime();
		return runtime.totalMemory() - runtime.freeMemory();
	}

	private static Map<String, String> parse(String[] args) {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			int eq = arg.indexOf('=');
			if (arg.startsWith("--") && eq > 2) {
				options.put(arg.substring(2, eq), arg.substring(eq + 1));
			}
		}
		return options;
	}

	/** The worker's settings, decoded when the first fetch needs them. */
	private record SettingsFrame(byte[] payload) implements Supplier<WorkerSettings> {

		@Override
		public WorkerSettings get() {
			try {
				return WorkerProtocol.decodeSettings(this.payload);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
