package dev.jobpool;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 for fetch tests, answering on a virtual thread per
 * exchange:
 * <ul>
 * <li>{@code /delay?ms=200&bytes=100} waits, then answers 200 with that many bytes;</li>
 * <li>{@code /status?code=404} answers with that status;</li>
 * <li>{@code /redirect?to=/delay} answers 302 to the given path;</li>
 * <li>{@code /drop} sends headers promising more than it sends, then closes.</li>
 * </ul>
 * It counts requests and the most in flight at once ({@link RequestCounter}) since the
 * last {@link #resetCounters()}. A request that arrived before the reset never counts,
 * even while it is still being answered: a test that gave up on a slow URL leaves the
 * server's handler asleep, and that must not show up in the next test's figures.
 */
public final class LoopbackHttpServer implements AutoCloseable {

	private final HttpServer server;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	private final AtomicReference<RequestCounter> counter = new AtomicReference<>(new RequestCounter());

	public LoopbackHttpServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2048);
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	public String url(String pathAndQuery) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + pathAndQuery;
	}

	public int maxInFlight() {
		return this.counter.get().maxInFlight();
	}

	public int requests() {
		return this.counter.get().requests();
	}

	public void resetCounters() {
		this.counter.set(new RequestCounter());
	}

	private void handle(HttpExchange exchange) throws IOException {
		Runnable leave = this.counter.get().arrive();
		try (exchange) {
			Map<String, String> query = query(exchange);
			String path = exchange.getRequestURI().getPath();
			if (path.equals("/delay")) {
				sleep(Long.parseLong(query.getOrDefault("ms", "0")));
			}
			leave.run();
			switch (path) {
				case "/delay" -> body(exchange, 200, Integer.parseInt(query.getOrDefault("bytes", "100")));
				case "/status" -> body(exchange, Integer.parseInt(query.getOrDefault("code", "200")), 10);
				case "/redirect" -> {
					exchange.getResponseHeaders().set("Location", query.getOrDefault("to", "/delay"));
					exchange.sendResponseHeaders(302, -1);
				}
				case "/drop" -> {
					exchange.sendResponseHeaders(200, 1000);
					exchange.getResponseBody().write(new byte[10]);
					exchange.getResponseBody().flush();
					// Closing the exchange now leaves the promised body unfinished.
				}
				default -> body(exchange, 404, 0);
			}
		}
		finally {
			leave.run();
		}
	}

	private static void body(HttpExchange exchange, int status, int bytes) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", "text/plain");
		exchange.sendResponseHeaders(status, (bytes > 0) ? bytes : -1);
		if (bytes > 0) {
			try (OutputStream out = exchange.getResponseBody()) {
				byte[] chunk = new byte[Math.min(bytes, 8192)];
				for (int left = bytes; left > 0; left -= chunk.length) {
					out.write(chunk, 0, Math.min(left, chunk.length));
				}
			}
		}
	}

	private static Map<String, String> query(HttpExchange exchange) {
		Map<String, String> params = new HashMap<>();
		String raw = exchange.getRequestURI().getRawQuery();
		if (raw != null) {
			for (String pair : raw.split("&")) {
				int eq = pair.indexOf('=');
				if (eq > 0) {
					params.put(pair.substring(0, eq),
							URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
				}
			}
		}
		return params;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
