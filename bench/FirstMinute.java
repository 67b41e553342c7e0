/*
 * The first requests of a freshly started service: starts the service from its extracted jar,
 * waits for readiness, POSTs three sums of 10,000,000 on "process" (?wait) one after another from a
 * blocking keep-alive client, and prints one markdown table row: the medians of requests 1-10,
 * 1-100 and of the warm ones (the last 100 of -Drequests, 1,100), then stops the service (SIGTERM).
 * Before it starts the service it warms its own HTTP client up on a stub server of its own
 * (-DclientWarmUp requests, 2,000; 0 skips it): a fresh client JVM compiles its HTTP code
 * during the first requests too, on the cores the service needs, and the figures are to be
 * the service's. JDK only; run it as a single-file program, once per variant:
 *
 *   java -Dlabel="AOT cache" bench/FirstMinute.java target/bench/app/jobpool-0.1.0-SNAPSHOT.jar PORT \
 *       -XX:AOTCache=target/bench/aot/jobpool.aot --jobpool.process.jvm-options=...
 *
 * Arguments after the port that start with "-" and not "--" are JVM options of the service, the
 * rest the service's own arguments. Loopback only; bounded in count (-Drequests) and time (each
 * request at most 30 s, the start at most 120 s).
 */
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

public class FirstMinute {

	static final String JOB = "{\"numbers\":[10000000,10000000,10000000],\"executor\":\"process\"}";

	public static void main(String[] args) throws Exception {
		String jar = args[0];
		int port = Integer.parseInt(args[1]);
		int requests = Integer.getInteger("requests", 1_100);
		List<String> jvm = new ArrayList<>();
		List<String> app = new ArrayList<>();
		for (String arg : Arrays.copyOfRange(args, 2, args.length)) {
			(arg.startsWith("-") && !arg.startsWith("--") ? jvm : app).add(arg);
		}
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvm);
		command.addAll(List.of("-jar", jar, "--server.port=" + port, "--server.address=127.0.0.1"));
		command.addAll(app);
		Path log = Path.of(System.getProperty("log", "target/bench/first-minute.log"));
		warmUpClient(Integer.getInteger("clientWarmUp", 2_000));
		long started = System.nanoTime();
		Process service = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		try {
			String base = "http://127.0.0.1:" + port;
			while (!ready(base)) {
				if (!service.isAlive() || System.nanoTime() - started > TimeUnit.SECONDS.toNanos(120)) {
					throw new IllegalStateException("the service did not become ready; see " + log);
				}
				Thread.sleep(20);
			}
			double readyMs = (System.nanoTime() - started) / 1e6;
			double[] ms = new double[requests];
			for (int i = 0; i < requests; i++) {
				long start = System.nanoTime();
				int status = post(base + "/api/jobs/sum?wait=30", JOB);
				ms[i] = (System.nanoTime() - start) / 1e6;
				if (status != 200) {
					throw new IllegalStateException("request " + (i + 1) + " answered " + status);
				}
			}
			int warmFrom = Math.max(0, requests - 100);
			System.out.printf(Locale.ROOT, "| %s | %,.0f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
					System.getProperty("label", String.join(" ", jvm)), readyMs, ms[0], median(ms, 0, 10),
					median(ms, 0, 100), median(ms, warmFrom, requests), median(ms, 0, 10) / median(ms, warmFrom, requests));
		}
		finally {
			service.destroy();
			if (!service.waitFor(60, TimeUnit.SECONDS)) {
				service.destroyForcibly();
			}
		}
	}

	/**
	 * Send the requests of the measurement to a stub on loopback that answers as the
	 * service does (200 and a job's worth of JSON), so that this JVM's HTTP code is compiled
	 * before the first request to the service.
	 */
	static void warmUpClient(int requests) throws IOException {
		if (requests <= 0) {
			return;
		}
		// About the size of the service's answer.
		String tasks = "{\"index\":0,\"status\":\"succeeded\",\"result\":49999995000000},".repeat(24);
		byte[] answer = ("{\"status\":\"succeeded\",\"tasks\":[" + tasks + "{}]}").getBytes(StandardCharsets.UTF_8);
		HttpServer stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		stub.createContext("/", (exchange) -> {
			try (exchange) {
				exchange.getRequestBody().readAllBytes();
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, answer.length);
				exchange.getResponseBody().write(answer);
			}
		});
		stub.start();
		try {
			String url = "http://127.0.0.1:" + stub.getAddress().getPort() + "/api/jobs/sum?wait=30";
			for (int i = 0; i < requests; i++) {
				post(url, JOB);
			}
		}
		finally {
			stub.stop(0);
		}
	}

	static double median(double[] ms, int from, int to) {
		double[] part = Arrays.copyOfRange(ms, from, Math.min(to, ms.length));
		Arrays.sort(part);
		return part[(part.length - 1) / 2];
	}

	static boolean ready(String base) {
		try {
			HttpURLConnection connection = (HttpURLConnection) URI.create(base + "/actuator/health/readiness").toURL()
				.openConnection();
			connection.setConnectTimeout(1000);
			connection.setReadTimeout(1000);
			int status = connection.getResponseCode();
			drain(status < 400 ? connection.getInputStream() : connection.getErrorStream());
			return status == 200;
		}
		catch (IOException ex) {
			return false;
		}
	}

	static int post(String url, String body) throws IOException {
		HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
		connection.setConnectTimeout(5000);
		connection.setReadTimeout(30_000);
		connection.setRequestMethod("POST");
		connection.setRequestProperty("Content-Type", "application/json");
		connection.setDoOutput(true);
		try (OutputStream out = connection.getOutputStream()) {
			out.write(body.getBytes(StandardCharsets.UTF_8));
		}
		int status = connection.getResponseCode();
		drain(status < 400 ? connection.getInputStream() : connection.getErrorStream());
		return status;
	}

	// Reading each answer to its end keeps the connection alive for the next request.
	static void drain(InputStream in) throws IOException {
		if (in != null) {
			try (in) {
				in.readAllBytes();
			}
		}
	}

}
