package dev.jobpool.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.fail;

/**
 * The programs the ops tests drive (Chromium, ChromeDriver, Prometheus, promtool,
 * httpyac, dockerfile-utils) and the rule for a missing one: on a developer's machine the
 * test is skipped with a message saying how to install it; in CI ({@code CI=true}), where
 * {@code .ci/run} installs them all, it fails instead.
 * <p>
 * Each path can be overridden with a system property, e.g.
 * {@code -Djobpool.chromium=/opt/chrome}.
 */
final class ExternalTools {

	static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));

	private static final String APT_BROWSER = "apt-get install -y --no-install-recommends chromium chromium-driver";

	private static final String APT_PROMETHEUS = "apt-get install -y --no-install-recommends prometheus";

	private static final String NPM = "bash .ci/run (it runs npm install --prefix .ci httpyac dockerfile-utils)";

	private ExternalTools() {
	}

	static Path chromium() {
		return require("jobpool.chromium", "/usr/bin/chromium", APT_BROWSER);
	}

	static Path chromedriver() {
		return require("jobpool.chromedriver", "/usr/bin/chromedriver", APT_BROWSER);
	}

	static Path prometheus() {
		return require("jobpool.prometheus", "/usr/bin/prometheus", APT_PROMETHEUS);
	}

	static Path promtool() {
		return require("jobpool.promtool", "/usr/bin/promtool", APT_PROMETHEUS);
	}

	static Path httpyac() {
		return require("jobpool.httpyac", ".ci/node_modules/.bin/httpyac", NPM);
	}

	static Path dockerfileUtils() {
		return require("jobpool.dockerfile-utils", ".ci/node_modules/.bin/dockerfile-utils", NPM);
	}

	private static Path require(String property, String defaultPath, String install) {
		Path path = Path.of(System.getProperty(property, defaultPath)).toAbsolutePath();
		if (!Files.isExecutable(path)) {
			missing(path + " is not installed; install it with: " + install);
		}
		return path;
	}

	/**
	 * Skip the calling test with the given reason, or fail it in CI.
	 * @param reason what is missing and how to get it
	 */
	static void missing(String reason) {
		if (CI) {
			fail(reason + " (CI=true: a missing tool fails the build instead of skipping the test)");
		}
		// Printed too: Surefire's console summary counts skipped tests but does not say
		// why.
		System.err.println("[jobpool ops tests] SKIPPED: " + reason);
		Assumptions.abort(reason);
	}

	/**
	 * Run a command to its end, bounded in time, and return its exit code and output.
	 * @param timeout how long it may take; past it the process is killed and the test
	 * fails
	 * @param directory the working directory
	 * @param stdin what to write to its standard input, or {@code null} for nothing
	 * @param command the program and its arguments
	 * @return the exit code, standard output and standard error
	 */
	static Result run(Duration timeout, Path directory, @Nullable String stdin, List<String> command) {
		Process process;
		try {
			process = new ProcessBuilder(command).directory(directory.toFile()).start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + command, ex);
		}
		try {
			CompletableFuture<String> out = readAsync(process.getInputStream());
			CompletableFuture<String> err = readAsync(process.getErrorStream());
			try (OutputStream in = process.getOutputStream()) {
				if (stdin != null) {
					in.write(stdin.getBytes(StandardCharsets.UTF_8));
				}
			}
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				fail(command + " did not finish within " + timeout);
			}
			return new Result(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not read the output of " + command, ex);
		}
		finally {
			process.destroyForcibly();
		}
	}

	private static CompletableFuture<String> readAsync(InputStream in) {
		return CompletableFuture.supplyAsync(() -> readAll(in), (task) -> Thread.ofVirtual().start(task));
	}

	private static String readAll(InputStream in) {
		try (in) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * What a command did.
	 *
	 * @param exitCode its exit code
	 * @param stdout its standard output
	 * @param stderr its standard error
	 */
	record Result(int exitCode, String stdout, String stderr) {

		/**
		 * Return both outputs, for messages.
		 * @return standard output, then standard error
		 */
		String output() {
			return this.stdout + this.stderr;
		}

	}

}
