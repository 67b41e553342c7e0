package dev.jobpool.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.LoopbackExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every request of every {@code http/*.http} file, sent by the httpyac CLI to the running
 * service, passes the file's own {@code ??} assertions.
 * <p>
 * A copy of each file is sent, with its {@code @host} set to the service and every other
 * URL variable (the python.org pages of fetch-jobs.http) pointed at a server on loopback:
 * the tests reach no other host, and the assertions hold offline as online.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HttpFilesTests {

	private static final Path HTTP = Path.of("http");

	/** A file variable holding a URL: {@code @name = http...}. */
	private static final Pattern URL_VARIABLE = Pattern.compile("(?m)^@(\\w+)[ \\t]*=[ \\t]*https?://\\S*[ \\t]*$");

	private static final Pattern REQUEST = Pattern.compile("(?m)^###");

	private static final Pattern NON_LOOPBACK_URL = Pattern.compile("https?://(?!127\\.0\\.0\\.1[:/])[^\\s\"]+");

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	@TempDir
	private Path work;

	static Stream<Path> httpFiles() throws IOException {
		try (Stream<Path> files = Files.list(HTTP)) {
			List<Path> list = files.filter((file) -> file.toString().endsWith(".http")).sorted().toList();
			assertThat(list).as("request files in %s", HTTP).isNotEmpty();
			return list.stream();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("httpFiles")
	void everyRequestPassesItsAssertions(Path file) throws IOException {
		String source = Files.readString(file);
		List<String> requests = sections(source);
		assertThat(requests).as("requests in %s", file)
			.isNotEmpty()
			.allSatisfy((request) -> assertThat(request).as("every request in %s asserts its status", file)
				.containsPattern("(?m)^\\?\\? status "));

		String copy = pointAtTestServers(source);
		assertThat(NON_LOOPBACK_URL.matcher(copy).results().map(MatchResult::group).toList())
			.as("URLs in the copy of %s that are not on loopback", file)
			.isEmpty();
		Files.writeString(this.work.resolve(file.getFileName()), copy);

		ExternalTools.Result result = ExternalTools.run(Duration.ofMinutes(3), this.work, null,
				List.of(ExternalTools.httpyac().toString(), "send", file.getFileName().toString(), "--all", "--json",
						"--output", "none", "--timeout", "90000"));

		JsonNode report;
		try {
			report = JsonMapper.builder().build().readTree(result.stdout());
		}
		catch (RuntimeException ex) {
			throw new AssertionError("httpyac printed no JSON report for " + file + ":\n" + result.output(), ex);
		}
		List<String> problems = new ArrayList<>();
		for (JsonNode request : report.path("requests")) {
			for (JsonNode test : request.path("testResults")) {
				if (!"SUCCESS".equals(test.path("status").asString(""))) {
					problems.add(request.path("name").asString("?") + " (line " + request.path("line").asInt() + "): "
							+ test.path("status").asString("") + " " + test.path("message").asString("") + " "
							+ test.path("error").path("displayMessage").asString(""));
				}
			}
			if (request.path("testResults").isEmpty()) {
				problems.add(request.path("name").asString("?") + ": no assertion ran");
			}
		}
		assertThat(problems).as("failed assertions in %s", file).isEmpty();
		JsonNode summary = report.path("summary");
		assertThat(summary.path("totalRequests").asInt()).as("requests httpyac sent from %s", file)
			.isEqualTo(requests.size());
		assertThat(summary.path("successRequests").asInt()).as(summary.toString()).isEqualTo(requests.size());
		assertThat(result.exitCode()).as("httpyac's exit code for %s:\n%s", file, result.stderr()).isZero();
	}

	/**
	 * The copy that is sent: @host is the service, every other URL variable a loopback
	 * page.
	 */
	private String pointAtTestServers(String source) {
		Matcher variable = URL_VARIABLE.matcher(source);
		StringBuilder copy = new StringBuilder();
		boolean host = false;
		while (variable.find()) {
			String name = variable.group(1);
			String url = name.equals("host") ? "http://127.0.0.1:" + loopback.port() : loopback.pages().url("/" + name);
			host |= name.equals("host");
			variable.appendReplacement(copy, Matcher.quoteReplacement("@" + name + " = " + url));
		}
		variable.appendTail(copy);
		if (!host) {
			fail("The file has no '@host = http://...' line to point at the service");
		}
		return copy.toString();
	}

	private static List<String> sections(String source) {
		String[] parts = REQUEST.split(source);
		return List.of(parts).subList(1, parts.length);
	}

}
