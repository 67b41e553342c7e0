package dev.jobpool.execution.process;

import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The command line that starts a worker JVM from the service's own classes, whichever way
 * the service runs: from a class path of folders and jars
 * ({@code ./mvnw spring-boot:run}, an extracted image), or from a Spring Boot fat jar
 * ({@code java -jar}), where Boot's {@code PropertiesLauncher} finds the nested classes.
 */
public final class WorkerCommand {

	private static final String FAT_JAR_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

	private WorkerCommand() {
	}

	/**
	 * Build the command line of a worker.
	 * @param properties the process settings (JVM options)
	 * @return the command line
	 */
	public static List<String> build(ProcessProperties properties) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(properties.jvmOptions());
		String fatJar = fatJar();
		if (fatJar != null) {
			command.add("-Dloader.main=" + WorkerMain.class.getName());
			command.add("-cp");
			command.add(fatJar);
			command.add(FAT_JAR_LAUNCHER);
		}
		else {
			command.add("-cp");
			command.add(System.getProperty("java.class.path"));
			command.add(WorkerMain.class.getName());
		}
		command.add("--parent-pid=" + ProcessHandle.current().pid());
		return command;
	}

	/**
	 * Return the fat jar the service runs from, if it does.
	 * @return the jar's path, or {@code null} when the classes sit on a plain class path
	 */
	private static @Nullable String fatJar() {
		CodeSource source = WorkerMain.class.getProtectionDomain().getCodeSource();
		URL location = (source != null) ? source.getLocation() : null;
		if (location == null || !"jar".equals(location.getProtocol()) || !location.getPath().startsWith("nested:")) {
			return null;
		}
		// jar:nested:/path/app.jar/!BOOT-INF/classes/!/
		String path = location.getPath().substring("nested:".length());
		int end = path.indexOf("/!");
		return (end > 0) ? path.substring(0, end) : null;
	}

}
