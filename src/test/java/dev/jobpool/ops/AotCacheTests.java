package dev.jobpool.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;

import dev.jobpool.execution.process.ProcessProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Docker image trains the JDK 25 AOT caches of the service and of its workers with
 * ops/aot/train.sh, on the class path it runs with, and uses both. No Docker engine is
 * needed: the files are read.
 */
class AotCacheTests {

	private static final Pattern TRAINING = Pattern.compile("^RUN bash (\\S+) (/\\S+\\.jar) (/\\S+)(?: && .*)?$");

	@Test
	void theImageTrainsBothCachesOnTheJarItRuns() throws IOException {
		List<String> dockerfile = DeploymentConfigTests.instructions(Files.readString(Path.of("Dockerfile")));
		List<String> runtime = dockerfile.subList(lastIndexStartingWith(dockerfile, "FROM "), dockerfile.size());
		Matcher training = runtime.stream()
			.map(TRAINING::matcher)
			.filter(Matcher::matches)
			.findFirst()
			.orElseThrow(() -> new AssertionError("the runtime stage runs no AOT training: " + runtime));
		String script = training.group(1);
		String jar = training.group(2);
		String caches = training.group(3);
		assertThat(runtime).as("the training script is copied into the runtime stage")
			.contains("COPY ops/aot/train.sh " + script);
		assertThat(index(runtime, "RUN bash " + script)).as("trained after the application is copied")
			.isGreaterThan(lastIndexStartingWith(runtime, "COPY --from=build"));

		String entrypoint = runtime.stream().filter((line) -> line.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
		assertThat(entrypoint).contains("-XX:AOTCache=" + caches + "/jobpool.aot").contains("-jar " + jar + " ");

		List<String> defaults = Binder.get(new StandardEnvironment())
			.bindOrCreate("jobpool.process", ProcessProperties.class)
			.jvmOptions();
		List<String> workerOptions = new ArrayList<>(defaults);
		workerOptions.add("-XX:AOTCache=" + caches + "/worker.aot");
		assertThat(runtime).as("the workers get their cache on top of the default options")
			.contains("ENV JOBPOOL_PROCESS_JVMOPTIONS=\"" + String.join(",", workerOptions) + "\"");
	}

	@Test
	void theBuildContextKeepsTheTrainingScript() throws IOException {
		List<String> ignore = Files.readAllLines(Path.of(".dockerignore"))
			.stream()
			.map(String::strip)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.toList();
		// The last pattern that matches a path decides.
		assertThat(ignore.lastIndexOf("!ops/aot/train.sh")).isGreaterThan(ignore.lastIndexOf("ops/"));
	}

	@Test
	void theTrainingScriptWritesBothCachesAndParses() {
		Path script = Path.of("ops/aot/train.sh");
		assertThat(script).isExecutable()
			.content()
			.contains("-XX:AOTCacheOutput=\"$OUT/jobpool.aot\"")
			.contains("-XX:AOTCacheOutput=\"$OUT/worker.aot\"")
			.contains("kill -TERM");
		ExternalTools.Result syntax = ExternalTools.run(Duration.ofSeconds(30), Path.of("."), null,
				List.of("bash", "-n", script.toString()));
		assertThat(syntax.exitCode()).as(syntax.output()).isZero();
	}

	private static int lastIndexStartingWith(List<String> instructions, String prefix) {
		for (int i = instructions.size() - 1; i >= 0; i--) {
			if (instructions.get(i).startsWith(prefix)) {
				return i;
			}
		}
		throw new AssertionError("no instruction starts with " + prefix);
	}

	private static int index(List<String> instructions, String prefix) {
		for (int i = 0; i < instructions.size(); i++) {
			if (instructions.get(i).startsWith(prefix)) {
				return i;
			}
		}
		return -1;
	}

}
