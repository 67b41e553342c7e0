package dev.jobpool.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a new user meets in the first minute: {@code ./mvnw spring-boot:run} runs the
 * service with the full JIT, and a JDK older than 25 is named at once, with what to do.
 */
class FirstRunTests {

	private static final Path JAVA_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

	@Test
	void springBootRunDoesNotStopTheJitAtC1() throws Exception {
		Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
		Node optimizedLaunch = (Node) XPathFactory.newInstance()
			.newXPath()
			.evaluate(
					"/project/build/plugins/plugin[artifactId='spring-boot-maven-plugin']/configuration/optimizedLaunch",
					pom, XPathConstants.NODE);

		assertThat(optimizedLaunch).as("spring-boot-maven-plugin's <optimizedLaunch>").isNotNull();
		assertThat(optimizedLaunch.getTextContent().strip()).isEqualTo("false");
	}

	@Test
	void noJvmOptionThatAnOldJdkRejectsBeforeTheVersionCheck() {
		assertThat(Path.of(".mvn/jvm.config")).satisfiesAnyOf((config) -> assertThat(config).doesNotExist(),
				(config) -> assertThat(config).content().doesNotContain("--"));
	}

	@Test
	void theWrapperSaysAJdk17IsTooOldAndWhatToDo() throws IOException, InterruptedException {
		assumeTrue(Files.isExecutable(JAVA_17.resolve("bin/java")), "no JDK 17 at " + JAVA_17);
		ProcessBuilder builder = new ProcessBuilder("./mvnw", "-v").redirectErrorStream(true);
		builder.environment().put("JAVA_HOME", JAVA_17.toString());
		Process mvnw = builder.start();
		assertThat(mvnw.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String output = new String(mvnw.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

		assertThat(mvnw.exitValue()).as(output).isEqualTo(1);
		assertThat(output.strip()).startsWith("jobpool needs JDK 25; found 17")
			.contains(JAVA_17.toString())
			.contains("set JAVA_HOME")
			.doesNotContain("Unrecognized option");
	}

}
