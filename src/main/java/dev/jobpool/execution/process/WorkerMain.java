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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.springframework.util.unit.DataSize;

import dev.jobpool.fetch.FetchProperties;
import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskFailedException;
import dev.jobpool.task.TaskWork;
import dev.jobpool.task.WorkRunner;
import dev.jobpool.work.TaskWorkRunner;

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
	 * Run the worker.
	 * @param args {@code --parent-pid=…} and the fetch settings as {@code --name=value}
	 * @throws IOException if stdout breaks
	 */
	public static void main(String[] args) throws IOException {
		Map<String, String> options = parse(args);
		// stdout carries the protocol: anything else printed must go to stderr.
		DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
		System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
		exitWithParent(options.get("parent-pid"));
		DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
		try (TaskWorkRunner runner = TaskWorkRunner.withOwnFetcher(fetchProperties(options))) {
			if (Boolean.parseBoolean(options.get("warm-up"))) {
				warmUp(runner);
			}
			out.writeInt(WorkerProtocol.READY);
			out.flush();
			WorkerProtocol.Request request;
			while ((request = WorkerProtocol.readRequest(in, out)) != null) {
				WorkerProtocol.writeResponse(out, run(request, runner));
			}
		}
		System.exit(0);
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
		Object result = null;
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

	private static FetchProperties fetchProperties(Map<String, String> options) {
		java.util.List<String> allowedHosts = java.util.Arrays
			.stream(options.getOrDefault("allowed-hosts", "").split(","))
			.map(String::strip)
			.filter((host) -> !host.isEmpty())
			.toList();
		// The configured ports, and the ports of the service's web servers given when the
		// worker started.
		java.util.List<Integer> servicePorts = java.util.stream.Stream
			.of(options.getOrDefault("extra-service-ports", ""), options.getOrDefault("service-port", ""))
			.flatMap((ports) -> java.util.Arrays.stream(ports.split(",")))
			.map(String::strip)
			.filter((port) -> !port.isEmpty())
			.map(Integer::valueOf)
			.distinct()
			.toList();
		return new FetchProperties(
				Duration.ofMillis(Long.parseLong(options.getOrDefault("connect-timeout-ms", "5000"))),
				Duration.ofMillis(Long.parseLong(options.getOrDefault("read-timeout-ms", "30000"))),
				DataSize.ofBytes(Long.parseLong(options.getOrDefault("max-response-bytes", "10485760"))),
				Integer.parseInt(options.getOrDefault("max-redirects", "5")),
				Integer.parseInt(options.getOrDefault("max-connections", "1000")),
				options.getOrDefault("user-agent", "jobpool-worker"), allowedHosts,
				Boolean.parseBoolean(options.getOrDefault("block-private-networks", "true")),
				Duration.ofMillis(Long.parseLong(options.getOrDefault("dns-timeout-ms", "5000"))),
				Integer.parseInt(options.getOrDefault("max-per-host", "64")),
				Integer.parseInt(options.getOrDefault("max-in-flight", "10000")), servicePorts);
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

	/**
	 * Return the worker arguments that carry the service's fetch settings. The ports of
	 * the service's web servers are not among them: they are known only once the servers
	 * have started, and go on the command line as {@code --service-port=…} from
	 * {@link dev.jobpool.fetch.ServicePorts#workerArguments()}.
	 * @param fetch the settings
	 * @return the arguments
	 */
	static String[] fetchArguments(FetchProperties fetch) {
		return new String[] { "--connect-timeout-ms=" + fetch.connectTimeout().toMillis(),
				"--read-timeout-ms=" + fetch.readTimeout().toMillis(),
				"--max-response-bytes=" + fetch.maxResponseSize().toBytes(), "--max-redirects=" + fetch.maxRedirects(),
				"--max-connections=" + Math.min(fetch.maxConnections(), 1000), "--user-agent=" + fetch.userAgent(),
				"--allowed-hosts=" + String.join(",", fetch.allowedHosts()),
				"--block-private-networks=" + fetch.blockPrivateNetworks(),
				"--dns-timeout-ms=" + Math.max(1, fetch.dnsTimeout().toMillis()),
				"--max-per-host=" + fetch.maxPerHost(), "--max-in-flight=" + fetch.maxInFlight(),
				"--extra-service-ports=" + fetch.servicePorts()
					.stream()
					.map(String::valueOf)
					.collect(java.util.stream.Collectors.joining(",")) };
	}

}
