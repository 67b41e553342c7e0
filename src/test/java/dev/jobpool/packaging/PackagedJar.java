package dev.jobpool.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.jobpool.FreePort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar under test, started as users start it ({@code java -jar}) on a free
 * port. Each run's output and temporary files (Tomcat's among them) go under the build
 * directory ({@code target/packaged-jar-tests}, a log and a folder per name), replaced or
 * reused by the next run of that name: in the system's temporary directory every run of
 * the suite left them behind, since a killed replica never cleans up after itself.
 */
final class PackagedJar {

	private PackagedJar() {
	}

	/**
	 * Start the jar as {@code name}.
	 * @param name names its log and its temporary folder, unique within a test class
	 * @param jvmOptions options for the JVM, before {@code -jar}
	 * @param arguments the application's arguments, after the port
	 * @return the started process, its port and its log
	 * @throws IOException if the process cannot start
	 */
	static Run start(String name, List<String> jvmOptions, String... arguments) throws IOException {
		Path jar = Path.of(System.getProperty("jobpool.jar", "target/jobpool-0.1.0-SNAPSHOT.jar"));
		assertThat(jar).exists();
		Path directory = Files.createDirectories(jar.toAbsolutePath().getParent().resolve("packaged-jar-tests"));
		Path log = directory.resolve(name + ".log");
		Path temporary = Files.createDirectories(directory.resolve(name + "-tmp"));
		int port = FreePort.find();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Djava.io.tmpdir=" + temporary);
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		return new Run(process, port, log);
	}

	/**
	 * One started run of the jar.
	 *
	 * @param process the {@code java -jar} process
	 * @param port its HTTP port
	 * @param log its standard output and error
	 */
	record Run(Process process, int port, Path log) {

		/** What it has written so far, or why that cannot be read. */
		String output() {
			try {
				return Files.readString(this.log);
			}
			catch (IOException ex) {
				return "(no log: " + ex.getMessage() + ")";
			}
		}

	}

}
