package dev.jobpool;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real webhook receiver on loopback. Each path answers from its own script of status
 * codes, one per request ({@code 0}: never answer), the last one repeated, and every
 * request is kept.
 */
public final class WebhookReceiver implements AutoCloseable {

	/**
	 * One request as it arrived.
	 *
	 * @param path its path
	 * @param id its {@code webhook-id}
	 * @param timestamp its {@code webhook-timestamp}
	 * @param signature its {@code webhook-signature}
	 * @param body its body
	 */
	public record Received(String path, String id, String timestamp, String signature, String body) {
	}

	private final HttpServer server;

	private final Map<String, List<Integer>> scripts = new ConcurrentHashMap<>();

	private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();

	private final CountDownLatch closing = new CountDownLatch(1);

	/**
	 * Start a receiver on a free loopback port.
	 * @throws IOException if it cannot bind
	 */
	public WebhookReceiver() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	/**
	 * Return a URL whose requests are answered with these status codes in turn.
	 * @param path a path of the test's own
	 * @param statuses the answers, the last one repeated; {@code 0} never answers
	 * @return the URL
	 */
	public String url(String path, Integer... statuses) {
		this.scripts.put(path, List.of(statuses));
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	/**
	 * Return the requests that reached a path, oldest first.
	 * @param path the path
	 * @return the requests
	 */
	public List<Received> received(String path) {
		return this.received.stream().filter((request) -> request.path().equals(path)).toList();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			String body;
			try (InputStream in = exchange.getRequestBody()) {
				body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			int index = received(path).size();
			this.received.add(new Received(path, header(exchange, "webhook-id"), header(exchange, "webhook-timestamp"),
					header(exchange, "webhook-signature"), body));
			List<Integer> script = this.scripts.getOrDefault(path, List.of(404));
			int status = script.get(Math.min(index, script.size() - 1));
			if (status == 0) {
				awaitClose();
				return;
			}
			exchange.sendResponseHeaders(status, -1);
		}
	}

	private void awaitClose() {
		try {
			this.closing.await(5, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static String header(HttpExchange exchange, String name) {
		String value = exchange.getRequestHeaders().getFirst(name);
		return (value != null) ? value : "";
	}

	/**
	 * Return every request so far.
	 * @return the requests
	 */
	public List<Received> all() {
		return new ArrayList<>(this.received);
	}

	@Override
	public void close() {
		this.closing.countDown();
		this.server.stop(0);
	}

}
