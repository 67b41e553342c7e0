/*
 * A loopback HTTP server whose latency and body size each request chooses, for IO benchmarks of
 * fetch jobs. JDK only; run it as a single-file program:
 *
 *   java bench/SlowServer.java [--port=0] [--impl=raw|jdk] [--seconds=3600]
 *
 * It prints "listening on http://127.0.0.1:PORT" and serves until killed or for --seconds at most:
 *
 *   GET /?ms=100&bytes=512   waits 100 ms, then answers 200 with 512 bytes (any path but those below)
 *   GET /stats               {"requests":…,"inFlight":…,"maxInFlight":…,"connections":…,"maxConnections":…}
 *   GET /reset               zeroes requests, maxInFlight and maxConnections
 *
 * Two implementations, chosen with --impl:
 *   raw (default)  a blocking ServerSocket whose accept loop runs on its own platform thread and
 *                  hands each connection to a virtual thread (keep-alive, HTTP/1.1 GET only);
 *   jdk            com.sun.net.httpserver on a virtual thread per exchange, with
 *                  sun.net.httpserver.maxIdleConnections raised so that kept-alive connections stay.
 * Both take a backlog of 65,535 (the kernel caps it at net.core.somaxconn).
 *
 * It also holds its own load test, to check that it can keep 10,000 slow requests in flight:
 *
 *   java bench/SlowServer.java --load=http://127.0.0.1:PORT --clients=10000 --ms=100
 *
 * opens one connection per client at once (virtual threads, raw sockets), sends one request on
 * each and prints the wall time, the server's most requests in flight and any errors. Loopback
 * only: both modes refuse any other address.
 */
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

public class SlowServer {

	static final int BACKLOG = 65_535;

	static final int MAX_MS = 60_000;

	static final long MAX_BYTES = 100L << 20;

	static final byte[] CHUNK = new byte[64 * 1024];

	static final LongAdder requests = new LongAdder();

	static final AtomicInteger inFlight = new AtomicInteger();

	static final AtomicInteger maxInFlight = new AtomicInteger();

	static final AtomicInteger connections = new AtomicInteger();

	static final AtomicInteger maxConnections = new AtomicInteger();

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		if (options.containsKey("load")) {
			load(URI.create(options.get("load")), Integer.parseInt(options.getOrDefault("clients", "10000")),
					Integer.parseInt(options.getOrDefault("ms", "100")),
					Integer.parseInt(options.getOrDefault("bytes", "512")));
			return;
		}
		int port = Integer.parseInt(options.getOrDefault("port", "0"));
		long seconds = Long.parseLong(options.getOrDefault("seconds", "3600"));
		String impl = options.getOrDefault("impl", "raw");
		int bound = switch (impl) {
			case "raw" -> startRaw(port);
			case "jdk" -> startJdk(port);
			default -> throw new IllegalArgumentException("--impl must be raw or jdk, was " + impl);
		};
		System.out.println("listening on http://127.0.0.1:" + bound + " (" + impl + ")");
		System.out.flush();
		// Bounded: the server stops by itself even if nobody kills it.
		Thread.sleep(Duration.ofSeconds(seconds));
		System.exit(0);
	}

	// ---- raw: a blocking accept loop, a virtual thread per connection ----

	static int startRaw(int port) throws IOException {
		ServerSocket server = new ServerSocket();
		server.setReuseAddress(true);
		server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BACKLOG);
		Thread.ofPlatform().name("accept").daemon(true).start(() -> {
			while (true) {
				try {
					Socket socket = server.accept();
					Thread.ofVirtual().start(() -> serve(socket));
				}
				catch (IOException ex) {
					System.err.println("accept failed: " + ex);
				}
			}
		});
		return server.getLocalPort();
	}

	static void serve(Socket socket) {
		opened();
		try (socket) {
			socket.setTcpNoDelay(true);
			InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
			OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
			while (true) {
				String requestLine = line(in);
				if (requestLine == null) {
					return;
				}
				boolean close = false;
				String header;
				while ((header = line(in)) != null && !header.isEmpty()) {
					if (header.regionMatches(true, 0, "connection:", 0, 11) && header.toLowerCase(Locale.ROOT).contains("close")) {
						close = true;
					}
				}
				if (header == null) {
					return;
				}
				String[] parts = requestLine.split(" ");
				if (parts.length < 3) {
					respond(out, 400, "text/plain", "bad request line".getBytes(StandardCharsets.US_ASCII), 0, true);
					return;
				}
				close |= parts[2].equals("HTTP/1.0");
				URI target = URI.create(parts[1]);
				Answer answer = answer(target.getPath(), query(target.getRawQuery()));
				respond(out, answer.status, answer.contentType, answer.body, answer.bytes, close);
				if (close) {
					return;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// The client went away or sent garbage: drop the connection.
		}
		finally {
			connections.decrementAndGet();
		}
	}

	static void respond(OutputStream out, int status, String contentType, byte[] body, long bytes, boolean close)
			throws IOException {
		long length = (body != null) ? body.length : bytes;
		String head = "HTTP/1.1 " + status + (status == 200 ? " OK" : " Error") + "\r\nContent-Type: " + contentType
				+ "\r\nContent-Length: " + length + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
		out.write(head.getBytes(StandardCharsets.US_ASCII));
		if (body != null) {
			out.write(body);
		}
		else {
			writeZeros(out, bytes);
		}
		out.flush();
	}

	static String line(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder(64);
		int c;
		while ((c = in.read()) >= 0) {
			if (c == '\n') {
				int end = line.length();
				return (end > 0 && line.charAt(end - 1) == '\r') ? line.substring(0, end - 1) : line.toString();
			}
			if (line.length() > 16 * 1024) {
				throw new IOException("line too long");
			}
			line.append((char) c);
		}
		return (line.isEmpty()) ? null : line.toString();
	}

	// ---- jdk: com.sun.net.httpserver ----

	static int startJdk(int port) throws IOException {
		// Read once when the server classes load: set them first.
		System.setProperty("sun.net.httpserver.maxIdleConnections", "20000");
		System.setProperty("sun.net.httpserver.idleInterval", "300");
		var server = com.sun.net.httpserver.HttpServer
			.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BACKLOG);
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		server.createContext("/", (exchange) -> {
			try (exchange) {
				URI target = exchange.getRequestURI();
				Answer answer = answer(target.getPath(), query(target.getRawQuery()));
				exchange.getResponseHeaders().set("Content-Type", answer.contentType);
				long length = (answer.body != null) ? answer.body.length : answer.bytes;
				exchange.sendResponseHeaders(answer.status, (length > 0) ? length : -1);
				if (length > 0) {
					try (OutputStream out = exchange.getResponseBody()) {
						if (answer.body != null) {
							out.write(answer.body);
						}
						else {
							writeZeros(out, answer.bytes);
						}
					}
				}
			}
		});
		server.start();
		return server.getAddress().getPort();
	}

	// ---- what both answer ----

	record Answer(int status, String contentType, byte[] body, long bytes) {
	}

	static Answer answer(String path, Map<String, String> query) {
		switch (path) {
			case "/stats" -> {
				String json = "{\"requests\":" + requests.sum() + ",\"inFlight\":" + inFlight.get() + ",\"maxInFlight\":"
						+ maxInFlight.get() + ",\"connections\":" + connections.get() + ",\"maxConnections\":"
						+ maxConnections.get() + "}";
				return new Answer(200, "application/json", json.getBytes(StandardCharsets.US_ASCII), 0);
			}
			case "/reset" -> {
				requests.reset();
				maxInFlight.set(inFlight.get());
				maxConnections.set(connections.get());
				return new Answer(200, "application/json", "{\"reset\":true}".getBytes(StandardCharsets.US_ASCII), 0);
			}
			default -> {
				requests.increment();
				maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
				try {
					int ms = (int) Math.min(MAX_MS, Math.max(0, Long.parseLong(query.getOrDefault("ms", "0"))));
					long bytes = Math.min(MAX_BYTES, Math.max(0, Long.parseLong(query.getOrDefault("bytes", "0"))));
					if (ms > 0) {
						Thread.sleep(ms);
					}
					return new Answer(200, "application/octet-stream", null, bytes);
				}
				catch (NumberFormatException ex) {
					return new Answer(400, "text/plain", "ms and bytes must be numbers".getBytes(StandardCharsets.US_ASCII), 0);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return new Answer(503, "text/plain", new byte[0], 0);
				}
				finally {
					inFlight.decrementAndGet();
				}
			}
		}
	}

	static void opened() {
		maxConnections.accumulateAndGet(connections.incrementAndGet(), Math::max);
	}

	static void writeZeros(OutputStream out, long bytes) throws IOException {
		for (long left = bytes; left > 0; left -= CHUNK.length) {
			out.write(CHUNK, 0, (int) Math.min(left, CHUNK.length));
		}
	}

	static Map<String, String> query(String raw) {
		Map<String, String> params = new HashMap<>();
		if (raw != null) {
			for (String pair : raw.split("&")) {
				int eq = pair.indexOf('=');
				if (eq > 0) {
					params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
				}
			}
		}
		return params;
	}

	// ---- its own load test ----

	static void load(URI base, int clients, int ms, int bytes) throws Exception {
		InetAddress host = InetAddress.getByName(base.getHost());
		if (!host.isLoopbackAddress()) {
			throw new IllegalArgumentException("The load test targets loopback only, not " + base.getHost());
		}
		int port = base.getPort();
		get(host, port, "/reset");
		String request = "GET /?ms=" + ms + "&bytes=" + bytes + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
				+ "Connection: close\r\n\r\n";
		byte[] requestBytes = request.getBytes(StandardCharsets.US_ASCII);
		Map<String, LongAdder> errors = new ConcurrentHashMap<>();
		LongAdder ok = new LongAdder();
		List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
		CountDownLatch go = new CountDownLatch(1);
		long start;
		try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < clients; i++) {
				threads.submit(() -> {
					go.await();
					long begin = System.nanoTime();
					try (Socket socket = new Socket()) {
						socket.connect(new InetSocketAddress(host, port), 30_000);
						socket.setSoTimeout(60_000);
						socket.getOutputStream().write(requestBytes);
						socket.getOutputStream().flush();
						byte[] all = socket.getInputStream().readAllBytes();
						String head = new String(all, 0, Math.min(all.length, 12), StandardCharsets.US_ASCII);
						if (head.startsWith("HTTP/1.1 200")) {
							ok.increment();
							latencies.add(System.nanoTime() - begin);
						}
						else {
							errors.computeIfAbsent("status " + head, (k) -> new LongAdder()).increment();
						}
					}
					catch (IOException ex) {
						errors.computeIfAbsent(ex.getClass().getSimpleName(), (k) -> new LongAdder()).increment();
					}
					return null;
				});
			}
			start = System.nanoTime();
			go.countDown();
		}
		double wallMs = (System.nanoTime() - start) / 1e6;
		String stats = get(host, port, "/stats");
		List<Long> sorted = new ArrayList<>(latencies);
		java.util.Collections.sort(sorted);
		System.out.println("| clients | latency asked | ok | errors | wall ms | p50 ms | p99 ms | max ms | server stats |");
		System.out.println("|---:|---:|---:|---|---:|---:|---:|---:|---|");
		System.out.printf(Locale.ROOT, "| %,d | %d ms | %,d | %s | %.0f | %.0f | %.0f | %.0f | %s |%n", clients, ms, ok.sum(),
				errors.isEmpty() ? "none" : errors.toString(), wallMs, percentile(sorted, 0.5), percentile(sorted, 0.99),
				percentile(sorted, 1.0), stats);
		if (!errors.isEmpty()) {
			System.exit(1);
		}
	}

	static double percentile(List<Long> sorted, double q) {
		if (sorted.isEmpty()) {
			return Double.NaN;
		}
		int index = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(q * sorted.size()) - 1));
		return sorted.get(index) / 1e6;
	}

	static String get(InetAddress host, int port, String path) throws IOException {
		try (Socket socket = new Socket(host, port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
			int body = response.indexOf("\r\n\r\n");
			return (body >= 0) ? response.substring(body + 4) : response;
		}
	}

	static Map<String, String> options(String[] args) {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--") || arg.indexOf('=') < 0) {
				throw new IllegalArgumentException("Arguments are --name=value, not " + arg);
			}
			options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
		}
		return options;
	}

}
