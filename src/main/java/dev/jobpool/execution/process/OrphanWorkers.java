package dev.jobpool.execution.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and kills worker processes that a service killed with SIGKILL left behind. A
 * worker exits by itself when its service's process ends, unless it was stopped (SIGSTOP)
 * at that moment: then it cannot run, and lives on stopped for ever. A service that
 * starts kills those: workers whose {@code --parent-pid} process is gone (or is a newer
 * process that reused the pid). Workers of a live service are never touched.
 */
final class OrphanWorkers {

	private static final Logger logger = LoggerFactory.getLogger(OrphanWorkers.class);

	private static final String PARENT_PID = "--parent-pid=";

	private OrphanWorkers() {
	}

	/**
	 * Kill every orphaned worker process of this user.
	 * @return the pids killed
	 */
	static List<Long> reap() {
		List<Long> killed = ProcessHandle.allProcesses().filter(OrphanWorkers::isOrphanWorker).map((orphan) -> {
			orphan.destroyForcibly();
			return orphan.pid();
		}).toList();
		if (!killed.isEmpty()) {
			logger.warn("Killed {} worker process(es) left behind by a service that was killed: pids {}", killed.size(),
					killed);
		}
		return killed;
	}

	private static boolean isOrphanWorker(ProcessHandle process) {
		if (process.pid() == ProcessHandle.current().pid()) {
			return false;
		}
		ProcessHandle.Info info = process.info();
		String[] arguments = arguments(process, info);
		if (arguments == null) {
			return false;
		}
		boolean worker = false;
		Long parentPid = null;
		for (String argument : arguments) {
			if (argument.equals(WorkerMain.class.getName())
					|| argument.equals("-Dloader.main=" + WorkerMain.class.getName())) {
				worker = true;
			}
			else if (argument.startsWith(PARENT_PID)) {
				parentPid = parsePid(argument.substring(PARENT_PID.length()));
			}
		}
		return worker && parentPid != null && !serviceAlive(parentPid, info.startInstant());
	}

	/**
	 * Return whether the worker's service still runs: its pid is alive and was not reused
	 * by a process started after the worker.
	 */
	private static boolean serviceAlive(long parentPid, Optional<Instant> workerStarted) {
		Optional<ProcessHandle> parent = ProcessHandle.of(parentPid).filter(ProcessHandle::isAlive);
		if (parent.isEmpty()) {
			return false;
		}
		Optional<Instant> parentStarted = parent.get().info().startInstant();
		return parentStarted.isEmpty() || workerStarted.isEmpty() || !parentStarted.get().isAfter(workerStarted.get());
	}

	/**
	 * Return a process's arguments. The JDK gives none for a command line longer than a
	 * page, as a worker's is with a long class path: read {@code /proc} first.
	 */
	private static String @Nullable [] arguments(ProcessHandle process, ProcessHandle.Info info) {
		try {
			byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
			if (cmdline.length > 0) {
				return new String(cmdline, StandardCharsets.UTF_8).split("\0");
			}
		}
		catch (IOException | RuntimeException ex) {
			// No /proc, or the process is gone: fall back to what the JDK knows.
		}
		return info.arguments().orElse(null);
	}

	private static @Nullable Long parsePid(String value) {
		try {
			return Long.valueOf(value);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
