/*
 * What a job costs over a request that does nothing: throughput of tiny sum jobs
 * (POST /api/jobs/sum?wait=5 {"numbers":[1],"executor":"platform"}) against GET /api/benchmarks/ping
 * on the same service, with N concurrent clients, as a ratio. Prints a markdown table. JDK only:
 *
 *   java bench/OverheadBench.java http://127.0.0.1:8080
 *
 * Settings (system properties): clients (1,8,64: one row each), seconds (5: measured per phase),
 * warmup (2: seconds run first and not counted), maxRequests (2,000,000 per phase, a bound).
 * The clients run on this machine too: on a small machine they take CPU from the service, and the
 * ratio is the figure to read. Loopback only: the bench refuses any other host.
 */
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

public class OverheadBench {

	static final String JOB = "{\"numbers\":[1],\"executor\":\"platform\"}";

	public static void main(String[] args) throws Exception {
		String base = args[0];
		String host = URI.create(base).getHost();
		if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("[::1]")) {
			throw new IllegalArgumentException("The bench only targets loopback, not " + host);
		}
		List<Integer> clients = Arrays.stream(System.getProperty("clients", "1,8,64").split(","))
			.map(String::strip)
			.map(Integer::valueOf)
			.toList();
		Duration measured = Duration.ofSeconds(Long.getLong("seconds", 5));
		Duration warmup = Duration.ofSeconds(Long.getLong("warmup", 2));
		long maxRequests = Long.getLong("maxRequests", 2_000_000);
		HttpRequest ping = HttpRequest.newBuilder(URI.create(base + "/api/benchmarks/ping"))
			.timeout(Duration.ofSeconds(30))
			.build();
		HttpRequest job = HttpRequest.newBuilder(URI.create(base + "/api/jobs/sum?wait=5"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JOB))
			.timeout(Duration.ofSeconds(30))
			.build();
		System.out.printf(Locale.ROOT, "### Overhead: tiny sum jobs against a request that does nothing (%d s per phase after %d s of warm-up)%n%n",
				measured.toSeconds(), warmup.toSeconds());
		System.out.println("`ping` is `GET /api/benchmarks/ping`; `job` is `POST /api/jobs/sum?wait=5` with `" + JOB
				+ "`, answered 200 with the finished job. Clients and service share this machine.");
		System.out.println();
		System.out.println("| clients | ping req/s | ping p50 / p99 ms | job req/s | job p50 / p99 ms | job / ping throughput | failures |");
		System.out.println("|---:|---:|---:|---:|---:|---:|---|");
		for (int n : clients) {
			Phase pings = phase(ping, n, warmup, measured, maxRequests, "{\"pong\":true}");
			Phase jobs = phase(job, n, warmup, measured, maxRequests, "\"status\":\"succeeded\"");
			Map<String, Long> failures = new java.util.TreeMap<>();
			pings.failures.forEach((k, v) -> failures.merge("ping " + k, v.sum(), Long::sum));
			jobs.failures.forEach((k, v) -> failures.merge("job " + k, v.sum(), Long::sum));
			System.out.printf(Locale.ROOT, "| %d | %,.0f | %.2f / %.2f | %,.0f | %.2f / %.2f | %.2f | %s |%n", n, pings.rate(),
					pings.percentile(0.5), pings.percentile(0.99), jobs.rate(), jobs.percentile(0.5), jobs.percentile(0.99),
					jobs.rate() / pings.rate(), failures.isEmpty() ? "none" : failures.toString());
		}
		System.out.println();
	}

	record Phase(long ok, double seconds, List<Long> latencies, Map<String, LongAdder> failures) {

		double rate() {
			return this.ok / this.seconds;
		}

		double percentile(double q) {
			if (this.latencies.isEmpty()) {
				return Double.NaN;
			}
			int index = (int) Math.min(this.latencies.size() - 1, Math.max(0, Math.ceil(q * this.latencies.size()) - 1));
			return this.latencies.get(index) / 1e6;
		}

	}

	/** N clients send the request back to back; only answers ending after the warm-up count. */
	static Phase phase(HttpRequest request, int clients, Duration warmup, Duration measured, long maxRequests,
			String expected) throws Exception {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		long start = System.nanoTime();
		long countFrom = start + warmup.toNanos();
		long end = countFrom + measured.toNanos();
		LongAdder ok = new LongAdder();
		AtomicLong sent = new AtomicLong();
		Map<String, LongAdder> failures = new ConcurrentHashMap<>();
		List<List<Long>> perClient = Collections.synchronizedList(new ArrayList<>());
		try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int c = 0; c < clients; c++) {
				threads.submit(() -> {
					List<Long> latencies = new ArrayList<>();
					perClient.add(latencies);
					while (System.nanoTime() < end && sent.incrementAndGet() <= maxRequests) {
						long begin = System.nanoTime();
						try {
							HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
							long done = System.nanoTime();
							boolean good = response.statusCode() == 200 && response.body().contains(expected);
							if (done >= countFrom && done < end) {
								if (good) {
									ok.increment();
									latencies.add(done - begin);
								}
								else {
									failures.computeIfAbsent("HTTP " + response.statusCode(), (k) -> new LongAdder())
										.increment();
								}
							}
						}
						catch (Exception ex) {
							failures.computeIfAbsent(ex.getClass().getSimpleName(), (k) -> new LongAdder()).increment();
						}
					}
					return null;
				});
			}
		}
		http.close();
		double seconds = Math.min(System.nanoTime(), end) - countFrom;
		List<Long> all = new ArrayList<>();
		perClient.forEach(all::addAll);
		Collections.sort(all);
		return new Phase(ok.sum(), seconds / 1e9, all, failures);
	}

}
