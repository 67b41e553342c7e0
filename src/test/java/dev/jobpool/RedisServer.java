package dev.jobpool;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.test.context.DynamicPropertyRegistry;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * A real {@code redis-server} for tests, on a free port of 127.0.0.1 and in a temporary
 * directory of its own, with the settings the README asks of a production Redis: AOF on
 * ({@code appendfsync everysec}), no RDB snapshots and
 * {@code maxmemory-policy noeviction}.
 * <p>
 * {@link #start()} returns once the server answers {@code PING}. The server can be
 * stopped gracefully ({@link #stop()}), killed as in a crash ({@link #kill()}) and
 * started again on the same port and directory ({@link #restart()}), so what the AOF
 * holds survives. Processes are signalled by pid. {@link #close()} stops the server and
 * deletes its directory; a server the test forgot to close is killed when the JVM exits.
 * <p>
 * The binary is {@code /usr/bin/redis-server} (Debian's {@code redis-server} package), or
 * the path in the system property {@code jobpool.redis-server}. When it is missing the
 * test is skipped with a message saying how to install it, except in CI ({@code CI=true},
 * where {@code .ci/run} installs it), where it fails instead.
 */
public final class RedisServer implements AutoCloseable {

	private static final String INSTALL = "apt-get install -y --no-install-recommends redis-server";

	private static final Duration READY = Duration.ofSeconds(30);

	private static final Duration GRACE = Duration.ofSeconds(10);

	private static final int SOCKET_TIMEOUT_MILLIS = 5_000;

	/**
	 * Tries at a free port: another process may take the one found before Redis binds it.
	 */
	private static final int START_ATTEMPTS = 3;

	private final Path binary;

	private final Path directory;

	private final Thread killAtExit = Thread.ofPlatform().unstarted(this::killQuietly);

	private int port;

	private @Nullable Process process;

	private RedisServer(Path binary, Path directory) {
		this.binary = binary;
		this.directory = directory;
	}

	/**
	 * Start a server and wait until it answers {@code PING}; skip the test (fail it under
	 * {@code CI=true}) when {@code redis-server} is not installed.
	 * @return the running server
	 */
	public static RedisServer start() {
		Path binary = binary();
		RedisServer server;
		try {
			server = new RedisServer(binary, Files.createTempDirectory("jobpool-redis-"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Runtime.getRuntime().addShutdownHook(server.killAtExit);
		for (int attempt = 1;; attempt++) {
			server.port = FreePort.find();
			try {
				server.launch();
				return server;
			}
			catch (ExitedEarly ex) {
				if (attempt == START_ATTEMPTS) {
					server.close();
					throw ex;
				}
			}
		}
	}

	/**
	 * Return the URL a client connects to, as {@code spring.data.redis.url} takes it.
	 * @return {@code redis://127.0.0.1:PORT}
	 */
	public String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	/**
	 * Return the port the server listens on; it stays the same across restarts.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return the running server's process id; a restart changes it.
	 * @return the pid
	 */
	public long pid() {
		return running().pid();
	}

	/**
	 * Return the server's working directory, which holds its AOF and its log.
	 * @return the directory
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Send one command on a connection of its own and return the server's reply as sent,
	 * RESP framing included: {@code +PONG\r\n}, {@code $3\r\nbar\r\n}, {@code :0\r\n}, or
	 * {@code -ERR ...\r\n} for an error.
	 * @param args the command and its arguments, e.g. {@code "SET", "k", "v"}
	 * @return the raw RESP reply
	 * @throws UncheckedIOException when the server cannot be reached
	 */
	public String command(String... args) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), SOCKET_TIMEOUT_MILLIS);
			socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
			OutputStream out = socket.getOutputStream();
			out.write(request(args));
			out.flush();
			ByteArrayOutputStream reply = new ByteArrayOutputStream();
			readReply(new BufferedInputStream(socket.getInputStream()), reply);
			return reply.toString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Redis on port " + this.port + " did not answer " + List.of(args), ex);
		}
	}

	/**
	 * Stop the server gracefully: SIGTERM (Redis then writes out its AOF), and SIGKILL if
	 * it has not exited within ten seconds. Does nothing when it is not running.
	 */
	public void stop() {
		Process running = this.process;
		if (running != null) {
			ProcessHandle handle = running.toHandle();
			handle.destroy();
			if (!exited(handle, GRACE)) {
				handle.destroyForcibly();
				exited(handle, GRACE);
			}
			this.process = null;
		}
	}

	/**
	 * Kill the server with SIGKILL, as a crash would, and wait until it is gone. What it
	 * had not yet written to its AOF (at most about a second of writes) is lost.
	 */
	public void kill() {
		Process running = this.process;
		if (running != null) {
			ProcessHandle handle = running.toHandle();
			handle.destroyForcibly();
			if (!exited(handle, GRACE)) {
				fail("redis-server (pid " + handle.pid() + ") still runs after SIGKILL");
			}
			this.process = null;
		}
	}

	/**
	 * Stop the server if it runs, then start it again on the same port and directory and
	 * wait until it answers {@code PING} (after it has loaded its AOF).
	 */
	public void restart() {
		stop();
		launch();
	}

	/** Stop the server and delete its directory. */
	@Override
	public void close() {
		try {
			stop();
		}
		finally {
			deleteDirectory();
			try {
				Runtime.getRuntime().removeShutdownHook(this.killAtExit);
			}
			catch (IllegalStateException ex) {
				// The JVM is exiting: the hook runs anyway, and finds nothing to kill.
			}
		}
	}

	private void launch() {
		List<String> command = List.of(this.binary.toString(), "--bind", "127.0.0.1", "--port",
				String.valueOf(this.port), "--dir", this.directory.toString(), "--save", "", "--appendonly", "yes",
				"--appendfsync", "everysec", "--maxmemory-policy", "noeviction", "--daemonize", "no");
		Process started;
		try {
			started = new ProcessBuilder(command).directory(this.directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + command, ex);
		}
		this.process = started;
		try {
			// A server still loading its AOF answers -LOADING: ready means PONG.
			await("redis-server on port " + this.port + " answers PING").atMost(READY)
				.pollInterval(Duration.ofMillis(50))
				.ignoreExceptionsInstanceOf(UncheckedIOException.class)
				.until(() -> {
					if (!started.isAlive()) {
						throw new ExitedEarly("redis-server exited with " + started.exitValue()
								+ " at start; its log:\n" + logText());
					}
					return "+PONG\r\n".equals(command("PING"));
				});
		}
		catch (ExitedEarly ex) {
			this.process = null;
			throw ex;
		}
		catch (ConditionTimeoutException ex) {
			kill();
			throw new IllegalStateException(ex.getMessage() + "; its log:\n" + logText(), ex);
		}
	}

	private Process running() {
		Process running = this.process;
		if (running == null) {
			throw new IllegalStateException("redis-server on port " + this.port + " is not running");
		}
		return running;
	}

	private void killQuietly() {
		Process running = this.process;
		if (running != null) {
			running.toHandle().destroyForcibly();
		}
	}

	private static boolean exited(ProcessHandle handle, Duration within) {
		try {
			handle.onExit().get(within.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for pid " + handle.pid() + " to exit", ex);
		}
	}

	private Path log() {
		return this.directory.resolve("redis.log");
	}

	private String logText() {
		try {
			return Files.readString(log());
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private void deleteDirectory() {
		if (!Files.exists(this.directory)) {
			return;
		}
		try (Stream<Path> files = Files.walk(this.directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(file);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not delete " + this.directory, ex);
		}
	}

	/** A RESP array of bulk strings, the form in which clients send commands. */
	private static byte[] request(String... args) {
		ByteArrayOutputStream request = new ByteArrayOutputStream();
		request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
		for (String arg : args) {
			byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
			request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
			request.writeBytes(bytes);
			request.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
		}
		return request.toByteArray();
	}

	/** Copy one RESP2 reply, nested arrays included, from the connection. */
	private static void readReply(InputStream in, ByteArrayOutputStream reply) throws IOException {
		String line = readLine(in, reply);
		if (line.isEmpty()) {
			throw new IOException("Empty RESP reply line");
		}
		switch (line.charAt(0)) {
			case '+', '-', ':' -> {
				// A simple string, an error or an integer: the line is the whole reply.
			}
			case '$' -> {
				int length = Integer.parseInt(line.substring(1));
				if (length >= 0) {
					reply.writeBytes(readExactly(in, length + 2));
				}
			}
			case '*' -> {
				int count = Integer.parseInt(line.substring(1));
				for (int i = 0; i < count; i++) {
					readReply(in, reply);
				}
			}
			default -> throw new IOException("Not a RESP2 reply: " + line);
		}
	}

	/** Read up to CRLF, copy it with the CRLF and return it without. */
	private static String readLine(InputStream in, ByteArrayOutputStream reply) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int previous = -1;
		while (true) {
			int next = in.read();
			if (next < 0) {
				throw new EOFException("Connection closed in the middle of a reply");
			}
			if (previous == '\r' && next == '\n') {
				byte[] bytes = line.toByteArray();
				reply.writeBytes(bytes);
				reply.write('\n');
				return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
			}
			line.write(next);
			previous = next;
		}
	}

	private static byte[] readExactly(InputStream in, int length) throws IOException {
		byte[] bytes = in.readNBytes(length);
		if (bytes.length < length) {
			throw new EOFException("Connection closed in the middle of a bulk string");
		}
		return bytes;
	}

	/**
	 * Return whether a test that needs Redis should run: when {@code redis-server} is
	 * installed, and always under {@code CI=true} (where {@link #start()} then fails if
	 * it is missing). For {@code @EnabledIf("dev.jobpool.RedisServer#usable")}, which is
	 * decided before a Spring test context (whose settings name the server) is loaded.
	 * @return whether to run
	 */
	public static boolean usable() {
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			return true;
		}
		boolean installed = Files.isExecutable(
				Path.of(System.getProperty("jobpool.redis-server", "/usr/bin/redis-server")).toAbsolutePath());
		if (!installed) {
			System.err.println("[jobpool tests] SKIPPED: redis-server is not installed; install it with: " + INSTALL);
		}
		return installed;
	}

	private static Path binary() {
		Path path = Path.of(System.getProperty("jobpool.redis-server", "/usr/bin/redis-server")).toAbsolutePath();
		if (!Files.isExecutable(path)) {
			String reason = path + " is not installed; install it with: " + INSTALL;
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				fail(reason + " (CI=true: a missing tool fails the build instead of skipping the test)");
			}
			// Printed too: Surefire's summary counts skipped tests but does not say why.
			System.err.println("[jobpool tests] SKIPPED: " + reason);
			Assumptions.abort(reason);
		}
		return path;
	}

	/**
	 * The server exited before it answered PING, most often because its port was taken.
	 */
	private static final class ExitedEarly extends IllegalStateException {

		ExitedEarly(String message) {
			super(message);
		}

	}

	/**
	 * A server for one Spring test class: started when the test's context first asks for
	 * {@code spring.data.redis.url}, closed after the class's last test.
	 *
	 * <pre class="code">
	 * &#64;RegisterExtension
	 * static final RedisServer.PerClass redis = new RedisServer.PerClass();
	 *
	 * &#64;DynamicPropertySource
	 * static void redis(DynamicPropertyRegistry registry) {
	 * 	redis.register(registry);
	 * }
	 * </pre>
	 */
	public static final class PerClass implements AfterAllCallback {

		private @Nullable RedisServer server;

		/**
		 * Point the context at this class's server, started on first use.
		 * @param registry the test's dynamic properties
		 */
		public void register(DynamicPropertyRegistry registry) {
			registry.add("spring.data.redis.url", () -> server().url());
		}

		private synchronized RedisServer server() {
			RedisServer current = this.server;
			if (current == null) {
				current = RedisServer.start();
				this.server = current;
			}
			return current;
		}

		@Override
		public synchronized void afterAll(ExtensionContext context) {
			if (this.server != null) {
				this.server.close();
				this.server = null;
			}
		}

	}

}
