/*
 * jobpool's benchmark client: runs the classic experiments against a running service over
 * HTTP and prints a markdown table. JDK only; run it as a single-file program:
 *
 *   java bench/Bench.java http://127.0.0.1:8080 cpu
 *
 * Experiments: cpu (three sums of 10,000,000 per executor), efficiency (one sum of n per core),
 * dispatch (round-trip overhead of trivial tasks on worker processes), spawn (cost of a process
 * per task). Loopback only: the bench refuses any other host. The cpu experiment's settings:
 * -Drepeat (measured rounds, 100), -Dwarmup (warm-up rounds, 1,000), -DserviceWarmup (tiny jobs
 * before those, 5,000).
 *
 * Requests go over HttpURLConnection: blocking, one keep-alive connection, the calling thread
 * does the I/O, as with curl. The JDK's asynchronous HttpClient hands each exchange between its
 * selector thread, a worker thread and the caller; on two busy cores those wake-ups added about
 * a millisecond to every request, which this bench would have reported as the service's latency.
 */
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Bench {

	static String base;

	public static void main(String[] args) throws Exception {
		base = args[0];
		String host = URI.create(base).getHost();
		if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("[::1]")) {
			throw new IllegalArgumentException("The bench only targets loopback, not " + host);
		}
		for (int i = 1; i < args.length; i++) {
			switch (args[i]) {
				case "cpu" -> cpu(Integer.getInteger("repeat", 100), Integer.getInteger("warmup", 1_000),
						Integer.getInteger("serviceWarmup", 5_000));
				case "efficiency" -> efficiency(Long.getLong("n", 1_000_000_000L));
				case "dispatch" -> dispatch(Integer.getInteger("tasks", 1000));
				case "spawn" -> spawn(Integer.getInteger("tasks", 20));
				default -> throw new IllegalArgumentException("Unknown experiment " + args[i]);
			}
		}
	}

	/** A run's three figures: end to end, the job's wall time, its parallelism. */
	record Run(double latencyMs, double wallMs, double parallelism) {
	}

	/**
	 * Three sums of 10,000,000 on each executor, end to end over HTTP with ?wait. The executors
	 * take turns, one job each per round, in the warm-up rounds and in the measured ones: the JIT
	 * goes on compiling the service for tens of thousands of requests and the host's load drifts,
	 * and taking turns gives every executor the same share of both. Spawn, at a JVM start per task,
	 * runs apart.
	 */
	static void cpu(int repeat, int warmup, int serviceWarmup) throws Exception {
		// The JIT compiles the service's request path over some ten thousand requests; on two cores its
		// compiler threads take a core away from the executors for milliseconds at a time until then.
		for (int i = 0; i < serviceWarmup; i++) {
			post("/api/jobs/sum?wait=5", "{\"numbers\":[1],\"executor\":\"platform\"}");
		}
		Map<String, List<Run>> runs = takingTurns(List.of("sequential", "platform", "virtual", "process"), warmup, repeat);
		runs.putAll(takingTurns(List.of("spawn"), 2, 5));
		System.out.println("### Three sums of 10,000,000 (end to end over HTTP, ?wait; " + repeat + " rounds after " + warmup
				+ " warm-up rounds, the executors taking turns, 5 after 2 for spawn; the service warmed with "
				+ String.format(Locale.ROOT, "%,d", serviceWarmup) + " tiny jobs)");
		System.out.println();
		System.out.println("| executor | median ms | min ms | max ms | job wall ms (median) | parallelism (median) | speedup vs sequential |");
		System.out.println("|---|---:|---:|---:|---:|---:|---:|");
		double sequential = median(runs.get("sequential").stream().map(Run::latencyMs).toList());
		runs.forEach((executor, measured) -> {
			List<Double> latencies = measured.stream().map(Run::latencyMs).toList();
			double median = median(latencies);
			System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.2f | %.2fx |%n", executor, median,
					Collections.min(latencies), Collections.max(latencies),
					median(measured.stream().map(Run::wallMs).toList()),
					median(measured.stream().map(Run::parallelism).toList()), sequential / median);
		});
		System.out.println();
	}

	/** Run the classic job on each executor in turn, round after round; keep the rounds after the warm-up. */
	static Map<String, List<Run>> takingTurns(List<String> executors, int warmup, int repeat) throws IOException {
		Map<String, List<Run>> runs = new LinkedHashMap<>();
		executors.forEach((executor) -> runs.put(executor, new ArrayList<>()));
		for (int round = 0; round < warmup + repeat; round++) {
			for (String executor : executors) {
				Run run = classic(executor);
				if (round >= warmup) {
					runs.get(executor).add(run);
				}
			}
		}
		return runs;
	}

	static Run classic(String executor) throws IOException {
		long start = System.nanoTime();
		String job = post("/api/jobs/sum?wait=60",
				"{\"numbers\":[10000000,10000000,10000000],\"executor\":\"" + executor + "\"}");
		double ms = (System.nanoTime() - start) / 1e6;
		check(job, BigInteger.valueOf(149999985000000L));
		return new Run(ms, number(job, "wallMs"), number(job, "parallelism"));
	}

	/**
	 * One long sum on one thread, then one per core on platform threads and on processes; each the
	 * fastest of five runs after one warm-up, so that a run the JIT or the host slowed down
	 * neither lowers the one-thread rate the others are held to nor flatters them.
	 */
	static void efficiency(long n) throws Exception {
		int cores = Runtime.getRuntime().availableProcessors();
		System.out.println("### Parallel efficiency: sums of " + String.format(Locale.ROOT, "%,d", n) + ", one per core (" + cores
				+ " cores; fastest of 5 runs after 1 warm-up)");
		System.out.println();
		double singleMs = fastestWall("[" + n + "]", "sequential");
		double perNs = n / (singleMs * 1e6);
		System.out.println("| executor | tasks | wall ms | additions per ns | efficiency (of cores x one thread) |");
		System.out.println("|---|---:|---:|---:|---:|");
		System.out.printf(Locale.ROOT, "| sequential | 1 | %.0f | %.2f | (one thread) |%n", singleMs, perNs);
		String numbers = "[" + String.join(",", Collections.nCopies(cores, Long.toString(n))) + "]";
		for (String executor : List.of("platform", "process")) {
			double wall = fastestWall(numbers, executor);
			double rate = cores * n / (wall * 1e6);
			System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.0f%% |%n", executor, cores, wall, rate,
					100 * rate / (cores * perNs));
		}
		System.out.println();
	}

	static double fastestWall(String numbers, String executor) throws IOException {
		String body = "{\"numbers\":" + numbers + ",\"executor\":\"" + executor + "\"}";
		post("/api/jobs/sum?wait=60", body);
		double fastest = Double.MAX_VALUE;
		for (int i = 0; i < 5; i++) {
			fastest = Math.min(fastest, number(post("/api/jobs/sum?wait=60", body), "wallMs"));
		}
		return fastest;
	}

	/** Trivial tasks (n = 1) on the process pool: the round trip minus the work, from the service's histogram. */
	static void dispatch(int tasks) throws Exception {
		String numbers = String.join(",", Collections.nCopies(tasks, "1"));
		for (int i = 0; i < 3; i++) {
			post("/api/jobs/sum?wait=60", "{\"numbers\":[" + numbers + "],\"executor\":\"process\"}");
		}
		Map<Double, Double> before = buckets("jobpool_worker_dispatch_seconds_bucket", "process");
		String job = post("/api/jobs/sum?wait=60", "{\"numbers\":[" + numbers + "],\"executor\":\"process\"}");
		Map<Double, Double> after = buckets("jobpool_worker_dispatch_seconds_bucket", "process");
		System.out.println("### Dispatch overhead of a trivial task on the process pool (" + tasks + " tasks of n = 1)");
		System.out.println();
		System.out.println("| measure | value |");
		System.out.println("|---|---:|");
		System.out.printf(Locale.ROOT, "| median round trip minus work (histogram bucket bound) | <= %.0f µs |%n",
				quantile(before, after, 0.5) * 1e6);
		System.out.printf(Locale.ROOT, "| p90 round trip minus work (histogram bucket bound) | <= %.0f µs |%n",
				quantile(before, after, 0.9) * 1e6);
		System.out.printf(Locale.ROOT, "| job wall time per task | %.0f µs |%n", number(job, "wallMs") * 1000 / tasks);
		System.out.println();
	}

	/** A fresh process per task: what starting a worker JVM costs. */
	static void spawn(int tasks) throws Exception {
		String numbers = String.join(",", Collections.nCopies(tasks, "1"));
		post("/api/jobs/sum?wait=60", "{\"numbers\":[1,1],\"executor\":\"spawn\"}");
		Map<String, Double> before = scalars("jobpool_worker_spawn_seconds_(sum|count)\\{[^}]*executor=\"spawn\"");
		long start = System.nanoTime();
		String job = post("/api/jobs/sum?wait=60", "{\"numbers\":[" + numbers + "],\"executor\":\"spawn\"}");
		double ms = (System.nanoTime() - start) / 1e6;
		Map<String, Double> after = scalars("jobpool_worker_spawn_seconds_(sum|count)\\{[^}]*executor=\"spawn\"");
		double count = after.get("count") - before.get("count");
		double meanStart = (after.get("sum") - before.get("sum")) / count;
		String processJob = post("/api/jobs/sum?wait=60", "{\"numbers\":[" + numbers + "],\"executor\":\"process\"}");
		System.out.println("### spawn: a fresh worker JVM per task (" + tasks + " tasks of n = 1)");
		System.out.println();
		System.out.println("| measure | value |");
		System.out.println("|---|---:|");
		System.out.printf(Locale.ROOT, "| mean worker start-up (start to ready) | %.0f ms |%n", meanStart * 1000);
		System.out.printf(Locale.ROOT, "| job end to end, spawn | %.0f ms (%.0f ms per task) |%n", ms, ms / tasks);
		System.out.printf(Locale.ROOT, "| job wall, process pool, same tasks | %.1f ms |%n", number(processJob, "wallMs"));
		System.out.println();
		check(job, BigInteger.ZERO);
	}

	static String post(String path, String body) throws IOException {
		HttpURLConnection connection = open(path);
		connection.setRequestMethod("POST");
		connection.setDoOutput(true);
		connection.setRequestProperty("Content-Type", "application/json");
		try (OutputStream out = connection.getOutputStream()) {
			out.write(body.getBytes(StandardCharsets.UTF_8));
		}
		int status = connection.getResponseCode();
		if (status != 200) {
			throw new IllegalStateException("POST " + path + " answered " + status + ": " + read(connection.getErrorStream()));
		}
		return read(connection.getInputStream());
	}

	static String get(String path) throws IOException {
		return read(open(path).getInputStream());
	}

	static HttpURLConnection open(String path) throws IOException {
		HttpURLConnection connection = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
		connection.setConnectTimeout(10_000);
		connection.setReadTimeout(120_000);
		return connection;
	}

	/** Reads the body to its end, which hands the connection back for the next request. */
	static String read(InputStream body) throws IOException {
		if (body == null) {
			return "";
		}
		try (body) {
			return new String(body.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	static void check(String job, BigInteger total) {
		if (!job.contains("\"status\":\"succeeded\"") || (total.signum() > 0 && !job.contains("\"total\":" + total))) {
			throw new IllegalStateException("Unexpected job: " + job.substring(0, Math.min(600, job.length())));
		}
	}

	static double number(String json, String field) {
		Matcher matcher = Pattern.compile("\"" + field + "\":([0-9.Ee+-]+)").matcher(json);
		if (!matcher.find()) {
			throw new IllegalStateException("No " + field + " in " + json.substring(0, Math.min(300, json.length())));
		}
		return Double.parseDouble(matcher.group(1));
	}

	static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int mid = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
	}

	static Map<Double, Double> buckets(String metric, String executor) throws Exception {
		Map<Double, Double> buckets = new LinkedHashMap<>();
		Matcher matcher = Pattern.compile(metric + "\\{[^}]*executor=\"" + executor + "\"[^}]*le=\"([^\"]+)\"[^}]*} ([0-9.Ee+-]+)")
			.matcher(get("/actuator/prometheus"));
		while (matcher.find()) {
			double le = matcher.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(matcher.group(1));
			buckets.put(le, Double.parseDouble(matcher.group(2)));
		}
		return buckets;
	}

	static double quantile(Map<Double, Double> before, Map<Double, Double> after, double q) {
		double total = after.get(Double.POSITIVE_INFINITY) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
		for (Map.Entry<Double, Double> bucket : after.entrySet()) {
			double count = bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0);
			if (count >= q * total) {
				return bucket.getKey();
			}
		}
		return Double.POSITIVE_INFINITY;
	}

	static Map<String, Double> scalars(String pattern) throws Exception {
		Map<String, Double> values = new LinkedHashMap<>();
		Matcher matcher = Pattern.compile(pattern + "[^}]*} ([0-9.Ee+-]+)").matcher(get("/actuator/prometheus"));
		while (matcher.find()) {
			values.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
		}
		return values;
	}

}
