/*
 * A bounded load test of a running jobpool on loopback: submits many small jobs at once, then
 * checks that none got a 5xx (other than 503 while the service shuts down) and that every accepted
 * job reaches a terminal state. JDK only:
 *
 *   java bench/Load.java http://127.0.0.1:8080 [jobs=5000] [clients=64] [seconds=60]
 */
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Load {

	static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

	static final Pattern STATUS = Pattern.compile("\"status\":\"([a-z]+)\"");

	public static void main(String[] args) throws Exception {
		String base = args[0];
		String host = URI.create(base).getHost();
		if (!host.equals("127.0.0.1") && !host.equals("localhost")) {
			throw new IllegalArgumentException("Load tests target loopback only, not " + host);
		}
		int jobs = (args.length > 1) ? Integer.parseInt(args[1]) : 5000;
		int clients = (args.length > 2) ? Integer.parseInt(args[2]) : 64;
		Duration budget = Duration.ofSeconds((args.length > 3) ? Long.parseLong(args[3]) : 60);
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
		Queue<String> accepted = new ConcurrentLinkedQueue<>();
		AtomicInteger next = new AtomicInteger();
		long deadline = System.nanoTime() + budget.toNanos();
		String[] executors = { "sequential", "platform", "virtual", "process" };
		long start = System.nanoTime();
		try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int c = 0; c < clients; c++) {
				pool.submit(() -> {
					int i;
					while ((i = next.getAndIncrement()) < jobs && System.nanoTime() < deadline) {
						String body = "{\"numbers\":[" + (1000 + i % 1000) + ",7],\"executor\":\"" + executors[i % 4] + "\"}";
						try {
							HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/jobs/sum"))
								.header("Content-Type", "application/json")
								.POST(HttpRequest.BodyPublishers.ofString(body))
								.timeout(Duration.ofSeconds(30))
								.build(), HttpResponse.BodyHandlers.ofString());
							statuses.computeIfAbsent(response.statusCode(), (k) -> new LongAdder()).increment();
							if (response.statusCode() == 202 || response.statusCode() == 200) {
								Matcher id = ID.matcher(response.body());
								if (id.find()) {
									accepted.add(id.group(1));
								}
							}
						}
						catch (Exception ex) {
							statuses.computeIfAbsent(-1, (k) -> new LongAdder()).increment();
						}
					}
					return null;
				});
			}
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		long sent = statuses.values().stream().mapToLong(LongAdder::sum).sum();
		int notTerminal = 0;
		Map<String, LongAdder> finals = new ConcurrentHashMap<>();
		long settleDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		for (String id : accepted) {
			String status = "?";
			while (System.nanoTime() < settleDeadline) {
				String job = http.send(HttpRequest.newBuilder(URI.create(base + "/api/jobs/" + id)).build(),
						HttpResponse.BodyHandlers.ofString()).body();
				Matcher matcher = STATUS.matcher(job);
				status = matcher.find() ? matcher.group(1) : "?";
				if (List.of("succeeded", "failed", "cancelled").contains(status)) {
					break;
				}
				Thread.sleep(20);
			}
			finals.computeIfAbsent(status, (k) -> new LongAdder()).increment();
			if (!List.of("succeeded", "failed", "cancelled").contains(status)) {
				notTerminal++;
			}
		}
		long serverErrors = statuses.entrySet().stream().filter((e) -> e.getKey() >= 500 && e.getKey() != 503)
			.mapToLong((e) -> e.getValue().sum()).sum();
		System.out.println("| measure | value |");
		System.out.println("|---|---:|");
		System.out.printf("| requests sent | %d in %.1f s (%.0f/s) with %d clients |%n", sent, seconds, sent / seconds, clients);
		statuses.forEach((status, count) -> System.out.printf("| HTTP %s | %d |%n", (status < 0) ? "error" : status, count.sum()));
		finals.forEach((status, count) -> System.out.printf("| accepted jobs ending %s | %d |%n", status, count.sum()));
		System.out.printf("| 5xx other than 503 | %d |%n", serverErrors);
		System.out.printf("| accepted jobs not terminal after 60 s | %d |%n", notTerminal);
		if (serverErrors > 0 || notTerminal > 0 || statuses.containsKey(-1)) {
			System.exit(1);
		}
	}

}
