/*
 * IO-bound experiments against a running jobpool and a running bench/SlowServer.java, both on
 * loopback; prints markdown tables. JDK only; run it as a single-file program:
 *
 *   java bench/IoBench.java http://127.0.0.1:8080 http://127.0.0.1:9000 io
 *   java -Dpid=12345 bench/IoBench.java http://127.0.0.1:8080 http://127.0.0.1:9000 memory
 *
 * The service must let fetches reach loopback and keep many requests in flight to one host:
 *   --jobpool.fetch.allowed-hosts=127.0.0.1 --jobpool.fetch.max-per-host=20000
 * and, for the platform case to be Python's ThreadPool(4), have at least four platform threads:
 *   --jobpool.executors.platform-threads=4
 *
 * Experiments:
 *   io      fetch 100, 1,000 and 10,000 URLs that each take 100 ms to answer, on virtual (a virtual
 *           thread per URL) and on platform with concurrency 4, each case a benchmark through
 *           POST /api/benchmarks (warm-up runs first, median of the counted runs). The 10,000-URL
 *           platform case takes over four minutes; it is extrapolated from the 1,000-URL case (and
 *           marked so) unless -Dfull=true.
 *   memory  the service's resident memory during one 10,000-URL job on virtual: sampled from
 *           /proc/<pid>/status (VmRSS every 10 ms, and VmHWM), with -Dpid=<the service's pid>.
 *
 * Settings (system properties): ms (100), bytes (512), counts (100,1000,10000), repeat (3),
 * warmup (1), platformRepeat (1), platformWarmup (0), full (false), timeoutMs (60000).
 * Loopback only: the bench refuses any other host.
 */
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class IoBench {

	static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	static final Duration MAX_BENCHMARK = Duration.ofMinutes(30);

	static String base;

	static String slow;

	static int ms = Integer.getInteger("ms", 100);

	static int bytes = Integer.getInteger("bytes", 512);

	static long timeoutMs = Long.getLong("timeoutMs", 60_000);

	public static void main(String[] args) throws Exception {
		base = loopback(args[0]);
		slow = loopback(args[1]);
		for (int i = 2; i < args.length; i++) {
			switch (args[i]) {
				case "io" -> io();
				case "memory" -> memory(Long.getLong("pid", -1));
				default -> throw new IllegalArgumentException("Unknown experiment " + args[i]);
			}
		}
	}

	/** 100, 1,000 and 10,000 slow URLs on virtual threads and on four platform threads. */
	static void io() throws Exception {
		List<Integer> counts = Arrays.stream(System.getProperty("counts", "100,1000,10000").split(","))
			.map(String::strip)
			.map(Integer::valueOf)
			.toList();
		int repeat = Integer.getInteger("repeat", 3);
		int warmup = Integer.getInteger("warmup", 1);
		int platformRepeat = Integer.getInteger("platformRepeat", 1);
		int platformWarmup = Integer.getInteger("platformWarmup", 0);
		boolean full = Boolean.getBoolean("full");
		System.out.printf(Locale.ROOT, "### IO-bound: fetching URLs that each answer after %d ms (%d-byte bodies)%n%n", ms,
				bytes);
		System.out.println("Each case is a benchmark (`POST /api/benchmarks`): a run lasts from its job's submission "
				+ "to its completion inside the service. `ideal` is the latency times the rounds the concurrency allows.");
		System.out.println();
		System.out.println("| URLs | executor | concurrency | runs | median ms | min ms | max ms | ideal ms | URLs/s | most in flight at the server | note |");
		System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
		Case platformBase = null;
		int platformBaseCount = 0;
		for (int count : counts) {
			Case virtual = run(count, "virtual", null, repeat, warmup);
			print(count, "virtual", virtual, ms);
			if (count > 1000 && !full && platformBase != null) {
				// Four threads fetch in rounds of four: the time grows linearly with the URLs.
				double median = platformBase.median * count / platformBaseCount;
				System.out.printf(Locale.ROOT, "| %,d | platform | %,d | – | %,.0f | – | – | %,d | %,.0f | – | extrapolated from %,d URLs (-Dfull=true measures it) |%n",
						count, platformBase.concurrency, median, ideal(count, platformBase.concurrency),
						count / (median / 1000), platformBaseCount);
				continue;
			}
			Case platform = run(count, "platform", 4, platformRepeat, platformWarmup);
			print(count, "platform", platform, ideal(count, platform.concurrency));
			if (count <= 1000) {
				platformBase = platform;
				platformBaseCount = count;
			}
		}
		System.out.println();
	}

	record Case(double median, double min, double max, int runs, int concurrency, int maxInFlight, String chart) {
	}

	static Case run(int count, String executor, Integer concurrency, int repeat, int warmup) throws Exception {
		get(slow + "/reset");
		String body = "{\"job\":{\"type\":\"fetch\",\"urls\":" + urls(count)
				+ ((concurrency != null) ? ",\"concurrency\":" + concurrency : "") + ",\"timeoutMs\":" + timeoutMs
				+ "},\"executors\":[\"" + executor + "\"],\"repeat\":" + repeat + ",\"warmup\":" + warmup + "}";
		String benchmark = finished(post("/api/benchmarks?wait=60", body, 200, 202));
		if (!benchmark.contains("\"status\":\"succeeded\"")) {
			throw new IllegalStateException("The benchmark did not succeed: " + cut(benchmark, 1500));
		}
		String job = get(base + "/api/jobs/" + string(benchmark, "jobIds\":\\[\""));
		int maxInFlight = (int) number(get(slow + "/stats"), "maxInFlight");
		return new Case(number(benchmark, "medianMs"), number(benchmark, "minMs"), number(benchmark, "maxMs"),
				(int) number(benchmark, "runs"), (int) number(job, "concurrency"), maxInFlight,
				string(benchmark, "chart\":\""));
	}

	static void print(int count, String executor, Case result, long ideal) {
		System.out.printf(Locale.ROOT, "| %,d | %s | %,d | %d | %,.1f | %,.1f | %,.1f | %,d | %,.0f | %,d | chart: `%s` |%n",
				count, executor, result.concurrency, result.runs, result.median, result.min, result.max, ideal,
				count / (result.median / 1000), result.maxInFlight, result.chart);
	}

	static long ideal(int count, int concurrency) {
		return (long) Math.ceil(count / (double) concurrency) * ms;
	}

	/** One 10,000-URL job on virtual threads: the service's resident memory before, during and after. */
	static void memory(long pid) throws Exception {
		if (pid <= 0) {
			throw new IllegalArgumentException("memory needs -Dpid=<the service's pid>");
		}
		int count = Integer.getInteger("memoryUrls", 10_000);
		// Warm the service up (classes, JIT, connection pool) with a smaller job first.
		post("/api/jobs/fetch?wait=60", fetchJob(Math.min(1000, count)), 200);
		long before = status(pid, "VmRSS");
		long hwmBefore = status(pid, "VmHWM");
		get(slow + "/reset");
		AtomicLong peak = new AtomicLong(before);
		AtomicLong samples = new AtomicLong();
		AtomicBoolean sampling = new AtomicBoolean(true);
		Thread sampler = Thread.ofPlatform().daemon(true).start(() -> {
			while (sampling.get()) {
				try {
					peak.accumulateAndGet(status(pid, "VmRSS"), Math::max);
					samples.incrementAndGet();
					Thread.sleep(10);
				}
				catch (Exception ex) {
					return;
				}
			}
		});
		long start = System.nanoTime();
		String job = post("/api/jobs/fetch?wait=60", fetchJob(count), 200);
		double wallMs = (System.nanoTime() - start) / 1e6;
		sampling.set(false);
		sampler.join();
		long after = status(pid, "VmRSS");
		long hwm = status(pid, "VmHWM");
		if (!job.contains("\"status\":\"succeeded\"")) {
			throw new IllegalStateException("The job did not succeed: " + cut(job, 1500));
		}
		System.out.printf(Locale.ROOT, "### Memory: the service during one job of %,d URLs on virtual threads (each answering after %d ms)%n%n",
				count, ms);
		System.out.println("| measure | value |");
		System.out.println("|---|---:|");
		System.out.printf(Locale.ROOT, "| resident memory before (after a %,d-URL warm-up job) | %,d MiB |%n",
				Math.min(1000, count), before >> 10);
		System.out.printf(Locale.ROOT, "| peak resident memory during the job (VmRSS sampled every 10 ms, %,d samples) | %,d MiB |%n",
				samples.get(), peak.get() >> 10);
		System.out.printf(Locale.ROOT, "| growth during the job | %,d MiB (%,.1f KiB per URL) |%n", (peak.get() - before) >> 10,
				(peak.get() - before) / (double) count);
		System.out.printf(Locale.ROOT, "| resident memory after | %,d MiB |%n", after >> 10);
		System.out.printf(Locale.ROOT, "| VmHWM (peak since the service started) before / after | %,d / %,d MiB |%n",
				hwmBefore >> 10, hwm >> 10);
		System.out.printf(Locale.ROOT, "| job end to end over HTTP | %,.0f ms |%n", wallMs);
		System.out.printf(Locale.ROOT, "| most requests in flight at the server | %,d |%n",
				(int) number(get(slow + "/stats"), "maxInFlight"));
		System.out.println();
	}

	/** Return a field of /proc/PID/status, in KiB. */
	static long status(long pid, String field) throws Exception {
		for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
			if (line.startsWith(field + ":")) {
				return Long.parseLong(line.replaceAll("[^0-9]", ""));
			}
		}
		throw new IllegalStateException("No " + field + " in /proc/" + pid + "/status");
	}

	static String fetchJob(int count) {
		return "{\"urls\":" + urls(count) + ",\"executor\":\"virtual\",\"timeoutMs\":" + timeoutMs + "}";
	}

	static String urls(int count) {
		StringBuilder urls = new StringBuilder(count * 48).append('[');
		for (int i = 0; i < count; i++) {
			urls.append((i > 0) ? "," : "").append('"').append(slow).append("/?ms=").append(ms).append("&bytes=")
				.append(bytes).append("&i=").append(i).append('"');
		}
		return urls.append(']').toString();
	}

	/** Follow a benchmark until it has finished, a minute of long poll at a time, so as not to load the service. */
	static String finished(String benchmark) throws Exception {
		long deadline = System.nanoTime() + MAX_BENCHMARK.toNanos();
		String location = "/api/benchmarks/" + string(benchmark, "\"id\":\"") + "?wait=60";
		while (benchmark.contains("\"status\":\"queued\"") || benchmark.contains("\"status\":\"running\"")) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The benchmark did not finish within " + MAX_BENCHMARK);
			}
			benchmark = get(base + location);
		}
		return benchmark;
	}

	static String post(String path, String body, int... expected) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.timeout(Duration.ofSeconds(120))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (Arrays.stream(expected).noneMatch((status) -> status == response.statusCode())) {
			throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": "
					+ cut(response.body(), 1500));
		}
		return response.body();
	}

	static String get(String url) throws Exception {
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(90)).build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("GET " + url + " answered " + response.statusCode() + ": "
					+ cut(response.body(), 500));
		}
		return response.body();
	}

	static double number(String json, String field) {
		Matcher matcher = Pattern.compile("\"" + field + "\":([0-9.Ee+-]+)").matcher(json);
		if (!matcher.find()) {
			throw new IllegalStateException("No " + field + " in " + cut(json, 500));
		}
		return Double.parseDouble(matcher.group(1));
	}

	static String string(String json, String prefix) {
		Matcher matcher = Pattern.compile(prefix + "([^\"]+)\"").matcher(json);
		if (!matcher.find()) {
			throw new IllegalStateException("No " + prefix + " in " + cut(json, 500));
		}
		return matcher.group(1);
	}

	static String loopback(String url) {
		String host = URI.create(url).getHost();
		if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("[::1]")) {
			throw new IllegalArgumentException("The bench only targets loopback, not " + host);
		}
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

	static String cut(String text, int length) {
		return text.substring(0, Math.min(length, text.length()));
	}

}
