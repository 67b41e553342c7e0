package dev.jobpool.fetch;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;

import dev.jobpool.RequestCounter;

/**
 * A real HTTP(S) server on a loopback address that counts the requests it gets, and the
 * most it had in flight at once ({@link RequestCounter}):
 * <ul>
 * <li>{@code /ok} answers 200 {@code ok};</li>
 * <li>{@code /redirect?to=URL} answers 302 to the URL;</li>
 * <li>{@code /held} answers 200 once {@link #release()} is called;</li>
 * <li>{@code /large} answers 200 with a chunked body of 11 MB.</li>
 * </ul>
 */
final class RecordingServer implements AutoCloseable {

	private final HttpServer server;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	private final RequestCounter counter = new RequestCounter();

	private final CountDownLatch released = new CountDownLatch(1);

	private RecordingServer(HttpServer server) {
		this.server = server;
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	static RecordingServer http(String address) throws IOException {
		return new RecordingServer(HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 100));
	}

	static RecordingServer https(String address, SSLContext sslContext) throws IOException {
		HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 100);
		server.setHttpsConfigurator(new HttpsConfigurator(sslContext));
		return new RecordingServer(server);
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	URI url(String pathAndQuery) {
		String scheme = (this.server instanceof HttpsServer) ? "https" : "http";
		InetAddress address = this.server.getAddress().getAddress();
		String host = (address instanceof Inet6Address) ? "[" + address.getHostAddress() + "]"
				: address.getHostAddress();
		return URI.create(scheme + "://" + host + ":" + port() + pathAndQuery);
	}

	int requests() {
		return this.counter.requests();
	}

	int inFlight() {
		return this.counter.inFlight();
	}

	int maxInFlight() {
		return this.counter.maxInFlight();
	}

	void release() {
		this.released.countDown();
	}

	private void handle(HttpExchange exchange) throws IOException {
		Runnable leave = this.counter.arrive();
		try {
			String path = exchange.getRequestURI().getPath();
			String query = exchange.getRequestURI().getRawQuery();
			if (path.equals("/held")) {
				awaitRelease();
			}
			leave.run();
			switch (path) {
				case "/redirect" -> {
					exchange.getResponseHeaders().set("Location", query.substring("to=".length()));
					respond(exchange, 302, "moved");
				}
				case "/large" -> {
					exchange.sendResponseHeaders(200, 0);
					byte[] chunk = new byte[64 * 1024];
					try (OutputStream body = exchange.getResponseBody()) {
						for (int sent = 0; sent < 11 * 1024 * 1024; sent += chunk.length) {
							body.write(chunk);
						}
					}
				}
				default -> respond(exchange, 200, "ok");
			}
		}
		finally {
			leave.run();
		}
	}

	private void awaitRelease() {
		try {
			this.released.await(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		release();
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
