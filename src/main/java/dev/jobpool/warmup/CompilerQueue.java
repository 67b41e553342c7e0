package dev.jobpool.warmup;

import java.lang.management.ManagementFactory;
import java.util.Optional;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The JIT compiler's work in this JVM, as {@code jcmd PID Compiler.queue} shows it: the
 * compilations under way and those queued, read through HotSpot's DiagnosticCommand
 * MBean. Its compile time ({@code CompilationMXBean}) would not do: it grows only as a
 * compilation ends, and one of the C2 compiler's can take hundreds of milliseconds.
 */
final class CompilerQueue {

	private static final String MBEAN = "com.sun.management:type=DiagnosticCommand";

	private final MBeanServer server;

	private final ObjectName name;

	private CompilerQueue(MBeanServer server, ObjectName name) {
		this.server = server;
		this.name = name;
	}

	/**
	 * Return this JVM's compiler queue, if it can be read.
	 * @return the queue, or empty on a JVM without HotSpot's diagnostic commands
	 */
	static Optional<CompilerQueue> of() {
		try {
			MBeanServer server = ManagementFactory.getPlatformMBeanServer();
			ObjectName name = new ObjectName(MBEAN);
			return server.isRegistered(name) ? Optional.of(new CompilerQueue(server, name)) : Optional.empty();
		}
		catch (JMException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Return whether the compiler has nothing to do: no compilation under way and none
	 * queued.
	 * @return whether it is idle, or empty if the queue could not be read
	 */
	Optional<Boolean> idle() {
		try {
			Object text = this.server.invoke(this.name, "compilerQueue", new Object[] { new String[0] },
					new String[] { String[].class.getName() });
			return Optional.of(idle(String.valueOf(text)));
		}
		catch (JMException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Read the command's answer: every compilation, under way or queued, names its method
	 * as {@code Class::method}.
	 * @param text what {@code Compiler.queue} printed
	 * @return whether it names none
	 */
	static boolean idle(String text) {
		return text.lines().noneMatch((line) -> line.contains("::"));
	}

}
