/*
 * The Redis store's experiments: starts replicas of the service from its extracted jar on loopback,
 * on a running redis-server and a running bench/SlowServer.java, and prints markdown tables with a
 * PASS or MISS per target. JDK only; run it as a single-file program (bench/run.sh cluster starts
 * Redis and the slow server, then runs it):
 *
 *   java bench/ClusterBench.java target/bench/app/jobpool-0.1.0-SNAPSHOT.jar 6379 http://127.0.0.1:9000 store tiny kill
 *
 * Experiments:
 *   store  one replica on Redis against one in memory, both running, the same settings, taking turns:
 *          a fetch job of 10,000 URLs of 100 ms on virtual (the io experiment's settings and
 *          concurrency), end to end over HTTP with ?wait, and the classic experiment (three sums of
 *          10,000,000 on process, ?wait). Targets: Redis's fetch wall <= 1.25x memory's, its classic
 *          median <= memory's + 2 ms. Also, with no target, a GET of each one's last fetch job, whole.
 *   tiny   sum jobs of 1,000 tiny tasks (n = 1..10) on virtual and on platform, from clients on every
 *          replica at once: three replicas on Redis, one on Redis, one in memory. tasks/s = tasks
 *          ended / wall (from the first submission to the last answer). Target: >= 5,000 tasks/s across
 *          three replicas. Redis's INFO commandstats over the measured run says what a task costs it.
 *   kill   three replicas on Redis (heartbeat-ttl 5s); a fetch job of slow URLs on platform, spread over
 *          them; kill -9 of one replica (not the one polled) that holds running tasks; GET on a survivor
 *          every 50 ms until one of the lost tasks runs again (on another replica, or attempts >= 2).
 *          Target: kill to re-run start <= heartbeat TTL + 2 s.
 *
 * Settings (system properties): log (target/bench, where the replicas' logs go), fetchUrls (10000),
 * fetchRepeat (5), viewRepeat (30 reads of the last fetch job, whole), fetchWarmup (10: after 4
 * jobs the JIT compilers still took 42% of a Redis replica's CPU samples, after 14 jobs 7%),
 * serviceWarmup (2000 tiny jobs per service), classicRepeat (100), classicWarmup (300), tinyJobs (30
 * jobs of 1,000 tasks per case), tinyClients (2 per replica), tinyWarmup (jobs before each case: by
 * default as many as the measured round, tinyJobs, so that three fresh JVMs have compiled the path
 * before it is measured), kills (2), killUrls (12), killMs (20000), killConcurrency (6), ttl (5s),
 * replicaArgs (more arguments for every replica, space-separated, e.g.
 * "--jobpool.cluster.claim-batch=1000"; printed with the settings).
 * Loopback only: the replicas listen on 127.0.0.1, and the bench refuses any other host. Every
 * replica it starts is stopped at the end (SIGTERM; SIGKILL after 40 s), and on an exit by a signal.
 */
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class ClusterBench {

	static final String CLASSIC = "{\"numbers\":[10000000,10000000,10000000],\"executor\":\"process\"}";

	/** The io experiment's service settings: loopback allowed, 10,000 requests to one host at once. */
	static final List<String> FETCH_LOOPBACK = List.of("--jobpool.fetch.allowed-hosts=127.0.0.1",
			"--jobpool.fetch.max-per-host=20000", "--jobpool.fetch.max-in-flight=20000",
			"--jobpool.fetch.max-connections=20000", "--jobpool.executors.platform-threads=4");

	static final List<String> EXTRA = List.of(System.getProperty("replicaArgs", "").split(" ")).stream()
		.filter((arg) -> !arg.isBlank())
		.toList();

	static final List<Replica> started = new CopyOnWriteArrayList<>();

	static String jar;

	static int redisPort;

	static String slow;

	static Path logs = Path.of(System.getProperty("log", "target/bench"));

	public static void main(String[] args) throws Exception {
		jar = args[0];
		redisPort = Integer.parseInt(args[1]);
		slow = loopback(args[2]);
		Runtime.getRuntime().addShutdownHook(new Thread(ClusterBench::stopAll));
		for (String id : List.of("memory", "r1", "r2", "r3")) {
			Files.deleteIfExists(logs.resolve("cluster-" + id + ".log"));
		}
		System.out.println("### Cluster (Redis store)");
		System.out.println();
		String server = redis("INFO", "server");
		System.out.printf(Locale.ROOT, "- Redis: redis-server %s on 127.0.0.1:%d (no persistence, `maxmemory-policy %s`)%n",
				field(server, "redis_version"), redisPort, configGet("maxmemory-policy"));
		System.out.println("- replicas: `java -jar " + jar + " --server.address=127.0.0.1 --jobpool.store=redis "
				+ "--spring.data.redis.url=redis://127.0.0.1:" + redisPort + " --jobpool.cluster.replica-id=rN` plus the settings each table says"
				+ (EXTRA.isEmpty() ? "" : " and, on every replica, `" + String.join(" ", EXTRA) + "`"));
		System.out.println();
		for (int i = 3; i < args.length; i++) {
			switch (args[i]) {
				case "store" -> store();
				case "tiny" -> tiny();
				case "kill" -> kill();
				default -> throw new IllegalArgumentException("Unknown experiment " + args[i]);
			}
		}
	}

	// ---- store: one replica on Redis against one in memory ----

	static void store() throws Exception {
		redis("FLUSHALL");
		Replica memory = Replica.start("memory", false, FETCH_LOOPBACK);
		Replica redis = Replica.start("r1", true, FETCH_LOOPBACK);
		int serviceWarmup = Integer.getInteger("serviceWarmup", 2000);
		int fetchUrls = Integer.getInteger("fetchUrls", 10_000);
		int fetchRepeat = Integer.getInteger("fetchRepeat", 5);
		int fetchWarmup = Integer.getInteger("fetchWarmup", 10);
		int viewRepeat = Integer.getInteger("viewRepeat", 30);
		int classicRepeat = Integer.getInteger("classicRepeat", 100);
		int classicWarmup = Integer.getInteger("classicWarmup", 300);
		String load = loadAverage();
		for (int i = 0; i < serviceWarmup; i++) {
			for (Replica replica : List.of(memory, redis)) {
				replica.post("/api/jobs/sum?wait=5", "{\"numbers\":[1],\"executor\":\"platform\"}");
			}
		}
		String fetch = "{\"urls\":" + urls(fetchUrls, 100) + ",\"executor\":\"virtual\",\"timeoutMs\":60000}";
		RedisUse.reset();
		double cpuBefore = redisCpu();
		Map<Replica, String> lastFetch = new HashMap<>();
		Map<Replica, List<Run>> fetches = takingTurns(List.of(memory, redis), fetchWarmup, fetchRepeat, (replica) -> {
			String answer = finished(replica, replica.post("/api/jobs/fetch?wait=60", fetch));
			lastFetch.put(replica, string(answer, "\"id\":\""));
			return answer;
		});
		RedisUse fetchUse = RedisUse.since(fetchUrls * (fetchWarmup + fetchRepeat), cpuBefore);
		Map<Replica, List<Run>> views = takingTurns(List.of(memory, redis), 0, viewRepeat,
				(replica) -> replica.get("/api/jobs/" + lastFetch.get(replica)));
		RedisUse.reset();
		cpuBefore = redisCpu();
		Map<Replica, List<Run>> classics = takingTurns(List.of(memory, redis), classicWarmup, classicRepeat,
				(replica) -> check(replica.post("/api/jobs/sum?wait=60", CLASSIC), "149999985000000"));
		RedisUse classicUse = RedisUse.since(classicWarmup + classicRepeat, cpuBefore);
		System.out.printf(Locale.ROOT, "#### One replica on Redis against one in memory (both running, taking turns; load average %s at the start, %s at the end)%n%n",
				load, loadAverage());
		System.out.println("- settings of both: `" + String.join(" ", FETCH_LOOPBACK) + "` (those of `bench/run.sh io`)");
		System.out.printf(Locale.ROOT, "- each service first took %,d tiny jobs; fetch: %,d URLs of 100 ms on `virtual` (concurrency %,d), %d runs after %d; classic: three sums of 10,000,000 on `process`, %d runs after %d%n",
				serviceWarmup, fetchUrls, fetchUrls, fetchRepeat, fetchWarmup, classicRepeat, classicWarmup);
		System.out.println("- end to end: the POST with `?wait` until its answer is read; job queue: the service's own figure, acceptance to the first task's start; job wall: first task start to last task end; service CPU: the JVM's CPU time during the run");
		System.out.printf(Locale.ROOT, "- `GET`: the last fetch job of each service read whole, %d times each, taking turns (its job queue and wall are the job's, not the read's)%n",
				viewRepeat);
		System.out.println();
		System.out.println("| experiment | store | runs | median ms | min ms | max ms | job queue ms (median) | job wall ms (median) | service CPU ms (median) | Redis against memory | target | |");
		System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
		double fetchRatio = median(fetches.get(redis)) / median(fetches.get(memory));
		String urls = String.format(Locale.ROOT, "%,d URLs of 100 ms, `virtual`", fetchUrls);
		row(urls, "memory", fetches.get(memory), "", "", "");
		row(urls, "redis", fetches.get(redis),
				String.format(Locale.ROOT, "%.2fx", fetchRatio), "≤ 1.25x", passOrMiss(fetchRatio <= 1.25));
		String view = String.format(Locale.ROOT, "`GET` of a finished job of %,d URLs", fetchUrls);
		row(view, "memory", views.get(memory), "", "", "");
		row(view, "redis", views.get(redis),
				String.format(Locale.ROOT, "%.2fx", median(views.get(redis)) / median(views.get(memory))), "", "");
		double difference = median(classics.get(redis)) - median(classics.get(memory));
		row("three sums of 10,000,000, `process`", "memory", classics.get(memory), "", "", "");
		row("three sums of 10,000,000, `process`", "redis", classics.get(redis),
				String.format(Locale.ROOT, "%+.1f ms", difference), "≤ +2 ms", passOrMiss(difference <= 2));
		System.out.println();
		System.out.println("Redis, per URL of the fetch runs (warm-up too): " + fetchUse.summary() + "; " + fetchUse.breakdown());
		System.out.println();
		System.out.println("Redis, per classic job (warm-up too): " + classicUse.summary() + "; " + classicUse.breakdown());
		System.out.println();
		stop(memory, redis);
	}

	record Run(double ms, double queueMs, double wallMs, double cpuMs) {
	}

	interface Job {

		String run(Replica replica) throws Exception;

	}

	/** Each replica one run per round, warm-up rounds first: both get the same share of the host's drift. */
	static Map<Replica, List<Run>> takingTurns(List<Replica> replicas, int warmup, int repeat, Job job)
			throws Exception {
		Map<Replica, List<Run>> runs = new LinkedHashMap<>();
		replicas.forEach((replica) -> runs.put(replica, new ArrayList<>()));
		for (int round = 0; round < warmup + repeat; round++) {
			for (Replica replica : replicas) {
				double cpu = cpu(List.of(replica));
				long start = System.nanoTime();
				String answer = job.run(replica);
				double ms = (System.nanoTime() - start) / 1e6;
				if (round >= warmup) {
					runs.get(replica).add(new Run(ms, number(answer, "queueMs"), number(answer, "wallMs"), (cpu(List.of(replica)) - cpu) * 1000));
				}
			}
		}
		return runs;
	}

	static void row(String experiment, String store, List<Run> runs, String against, String target, String verdict) {
		List<Double> ms = runs.stream().map(Run::ms).toList();
		System.out.printf(Locale.ROOT, "| %s | %s | %d | %,.1f | %,.1f | %,.1f | %,.1f | %,.1f | %,.1f | %s | %s | %s |%n",
				experiment, store, runs.size(), median(runs), Collections.min(ms), Collections.max(ms),
				medianOf(runs.stream().map(Run::queueMs).toList()), medianOf(runs.stream().map(Run::wallMs).toList()), medianOf(runs.stream().map(Run::cpuMs).toList()),
				against, target, verdict);
	}

	/** A fetch job whose ?wait ran out is followed until it ends. */
	static String finished(Replica replica, String job) throws IOException {
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (List.of("queued", "running").contains(string(job, "\"status\":\""))) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The job did not finish within 5 minutes");
			}
			job = replica.get("/api/jobs/" + string(job, "\"id\":\"") + "?wait=60");
		}
		return check(job, null);
	}

	// ---- tiny: tiny tasks through the store ----

	static void tiny() throws Exception {
		int jobs = Integer.getInteger("tinyJobs", 30);
		int clients = Integer.getInteger("tinyClients", 2);
		StringBuilder numbers = new StringBuilder();
		for (int i = 0; i < 1000; i++) {
			numbers.append((i > 0) ? "," : "").append(i % 10 + 1);
		}
		String warmup = Integer.getInteger("tinyWarmup", jobs) + " warm-up jobs";
		System.out.printf(Locale.ROOT, "#### Tiny tasks through the store: %d sum jobs of 1,000 tasks (n = 1..10) per case, %d clients per replica posting them with `?wait`, %s first (the 3-replica cases run first, on fresh replicas; r1 then runs the 1-replica cases)%n%n",
				jobs, clients, warmup);
		System.out.println("- settings: the defaults (`platform` has one thread per core: 2 per replica)");
		System.out.println("- tasks/s = tasks ended / wall, wall from the first POST to the last answer read; Redis per task from `INFO commandstats` over the measured round (scripts are the round trips that `EVALSHA`; \"commands in all\" counts those inside scripts too) and its `used_cpu_user` + `used_cpu_sys`; Redis cores = its CPU time / wall; the same for the replicas' JVMs together (`ProcessHandle.Info.totalCpuDuration`)");
		System.out.println();
		System.out.println("| replicas | store | executor | tasks | wall ms | tasks/s | tasks run by replica | replicas' CPU per task | replicas' cores | Redis per task | Redis cores | target | |");
		System.out.println("|---:|---|---|---:|---:|---:|---|---:|---:|---|---:|---|---|");
		List<Replica> three = new ArrayList<>();
		redis("FLUSHALL");
		for (String id : List.of("r1", "r2", "r3")) {
			three.add(Replica.start(id, true, List.of()));
		}
		for (String executor : List.of("virtual", "platform")) {
			tinyCase(three, executor, jobs, clients, numbers.toString(), true);
		}
		String threeReplicas = lastBreakdown;
		stop(three.get(1), three.get(2));
		for (String executor : List.of("virtual", "platform")) {
			tinyCase(List.of(three.get(0)), executor, jobs, clients, numbers.toString(), false);
		}
		stop(three.get(0));
		Replica memory = Replica.start("memory", false, List.of());
		for (String executor : List.of("virtual", "platform")) {
			tinyCase(List.of(memory), executor, jobs, clients, numbers.toString(), false);
		}
		stop(memory);
		System.out.println();
		System.out.println("Redis's commands per task, three replicas on `platform` (inside scripts too): " + threeReplicas);
		System.out.println();
	}

	static void tinyCase(List<Replica> replicas, String executor, int jobs, int clients, String numbers,
			boolean target) throws Exception {
		String body = "{\"numbers\":[" + numbers + "],\"executor\":\"" + executor + "\"}";
		boolean onRedis = replicas.get(0).redis;
		tinyRound(replicas, body, Integer.getInteger("tinyWarmup", jobs), clients);
		double cpuBefore = 0;
		if (onRedis) {
			RedisUse.reset();
			cpuBefore = redisCpu();
		}
		double replicaCpuBefore = cpu(replicas);
		long start = System.nanoTime();
		List<String> answers = tinyRound(replicas, body, jobs, clients);
		double wallMs = (System.nanoTime() - start) / 1e6;
		double replicaCpu = cpu(replicas) - replicaCpuBefore;
		int tasks = 0;
		Map<String, Integer> byReplica = new TreeMap<>();
		for (String answer : answers) {
			tasks += (int) number(answer, "done");
			Matcher matcher = Pattern.compile("\"replica\":\"([^\"]+)\"").matcher(answer);
			while (matcher.find()) {
				byReplica.merge(matcher.group(1), 1, Integer::sum);
			}
		}
		String calls = "– | –";
		if (onRedis) {
			RedisUse use = RedisUse.since(tasks, cpuBefore);
			calls = String.format(Locale.ROOT, "%s | %.2f", use.summary(), use.cpuSeconds() * 1000 / wallMs);
			lastBreakdown = use.breakdown();
		}
		double rate = tasks / (wallMs / 1000);
		StringBuilder spread = new StringBuilder();
		byReplica.forEach((replica, count) -> spread.append((spread.length() > 0) ? ", " : "")
			.append(replica)
			.append(' ')
			.append(String.format(Locale.ROOT, "%,d", count)));
		System.out.printf(Locale.ROOT, "| %d | %s | `%s` | %,d | %,.0f | %,.0f | %s | %.0f µs | %.2f | %s | %s | %s |%n",
				replicas.size(), onRedis ? "redis" : "memory", executor, tasks, wallMs, rate, spread,
				replicaCpu * 1e6 / tasks, replicaCpu * 1000 / wallMs, calls,
				target ? "≥ 5,000 tasks/s" : "", target ? passOrMiss(rate >= 5000) : "");
	}

	/** Jobs split over the replicas' clients, every client posting its share one after another. */
	static List<String> tinyRound(List<Replica> replicas, String body, int jobs, int clients) throws Exception {
		List<String> answers = new CopyOnWriteArrayList<>();
		AtomicInteger left = new AtomicInteger(jobs);
		try (ExecutorService pool = Executors.newFixedThreadPool(replicas.size() * clients)) {
			List<Future<?>> running = new ArrayList<>();
			for (Replica replica : replicas) {
				for (int c = 0; c < clients; c++) {
					running.add(pool.submit(() -> {
						while (left.getAndDecrement() > 0) {
							answers.add(finished(replica, replica.post("/api/jobs/sum?wait=60", body)));
						}
						return null;
					}));
				}
			}
			for (Future<?> future : running) {
				future.get(10, TimeUnit.MINUTES);
			}
		}
		return answers;
	}

	/**
	 * What Redis did for a number of tasks (or jobs) since {@link #reset}: from INFO commandstats
	 * and its used_cpu_user + used_cpu_sys.
	 */
	record RedisUse(String summary, String breakdown, double cpuSeconds) {

		static void reset() throws IOException {
			redis("CONFIG", "RESETSTAT");
		}

		static RedisUse since(int tasks, double cpuBefore) throws IOException {
			Map<String, Long> calls = new LinkedHashMap<>();
			Matcher matcher = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+),usec=(\\d+)")
				.matcher(redis("INFO", "commandstats"));
			long commands = 0;
			long scripts = 0;
			long scriptUsec = 0;
			while (matcher.find()) {
				long count = Long.parseLong(matcher.group(2));
				calls.put(matcher.group(1), count);
				commands += count;
				if (matcher.group(1).startsWith("eval")) {
					scripts += count;
					scriptUsec += Long.parseLong(matcher.group(3));
				}
			}
			double cpu = redisCpu() - cpuBefore;
			StringBuilder breakdown = new StringBuilder();
			calls.entrySet()
				.stream()
				.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
				.limit(8)
				.forEach((entry) -> breakdown.append((breakdown.length() > 0) ? ", " : "")
					.append(entry.getKey())
					.append(String.format(Locale.ROOT, " %.2f", entry.getValue() / (double) tasks)));
			String summary = String.format(Locale.ROOT, "%.2f scripts (%.0f µs each), %.1f commands in all, %.0f µs of CPU",
					scripts / (double) tasks, scriptUsec / (double) Math.max(1, scripts), commands / (double) tasks,
					cpu * 1e6 / tasks);
			return new RedisUse(summary, breakdown.toString(), cpu);
		}

	}

	static String lastBreakdown = "";

	/** The CPU time the replicas' JVMs have used so far, in seconds. */
	static double cpu(List<Replica> replicas) {
		return replicas.stream()
			.mapToDouble((replica) -> replica.process.info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e9)
			.sum();
	}

	/** Redis's own CPU time so far, user and system, in seconds. */
	static double redisCpu() throws IOException {
		String info = redis("INFO", "cpu");
		return Double.parseDouble(field(info, "used_cpu_user")) + Double.parseDouble(field(info, "used_cpu_sys"));
	}

	// ---- kill: kill -9 of a replica that holds running tasks ----

	static void kill() throws Exception {
		int kills = Integer.getInteger("kills", 2);
		int count = Integer.getInteger("killUrls", 12);
		int ms = Integer.getInteger("killMs", 20_000);
		int concurrency = Integer.getInteger("killConcurrency", 6);
		Duration ttl = Duration.parse("PT" + System.getProperty("ttl", "5s").toUpperCase(Locale.ROOT));
		List<String> settings = new ArrayList<>(FETCH_LOOPBACK);
		settings.add("--jobpool.cluster.heartbeat-ttl=" + ttl.toSeconds() + "s");
		System.out.printf(Locale.ROOT, "#### kill -9 of a replica that holds running tasks: three replicas, a fetch job of %d URLs of %,d ms on `platform` (concurrency %d) submitted to r1; GET on r1 every 50 ms%n%n",
				count, ms, concurrency);
		System.out.println("- settings: `" + String.join(" ", settings) + "` (heartbeat-interval and reaper-interval 1s, the defaults)");
		System.out.println("- claimed again: the first lost task seen with `attempts` ≥ 2; re-run started: the first seen running with a `worker.replica` other than the victim; both from the kill -9, polled every 50 ms");
		System.out.println();
		System.out.println("| kill | victim | its running tasks | claimed again after ms | re-run started after ms | re-run on | target | |");
		System.out.println("|---:|---|---:|---:|---:|---|---|---|");
		redis("FLUSHALL");
		List<Replica> replicas = new ArrayList<>();
		for (String id : List.of("r1", "r2", "r3")) {
			replicas.add(Replica.start(id, true, settings));
		}
		long bound = ttl.toMillis() + 2000;
		String job = "{\"urls\":" + urls(count, ms) + ",\"executor\":\"platform\",\"concurrency\":" + concurrency
				+ ",\"timeoutMs\":" + (ms * 6L) + "}";
		for (int k = 1; k <= kills; k++) {
			Replica r1 = replicas.get(0);
			String id = string(r1.post("/api/jobs/fetch", job), "\"id\":\"");
			// Wait until the job runs at its concurrency, then pick the other replica running most of it.
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			List<Task> tasks = tasks(r1.get("/api/jobs/" + id));
			while (tasks.stream().filter(Task::running).count() < concurrency && System.nanoTime() < deadline) {
				Thread.sleep(50);
				tasks = tasks(r1.get("/api/jobs/" + id));
			}
			Replica victim = null;
			List<Integer> lost = List.of();
			for (Replica candidate : replicas.subList(1, replicas.size())) {
				List<Integer> held = tasks.stream()
					.filter((task) -> task.running() && candidate.id.equals(task.replica()))
					.map(Task::index)
					.toList();
				if (held.size() > lost.size()) {
					victim = candidate;
					lost = held;
				}
			}
			if (victim == null) {
				throw new IllegalStateException("Neither r2 nor r3 runs a task of " + id + ": " + tasks);
			}
			long killed = System.nanoTime();
			victim.process.destroyForcibly();
			// A lost task stays "running" (its first start) until another replica claims it again
			// (attempts 2) and starts it (its worker then names that replica).
			long claimed = -1;
			long rerun = -1;
			String rerunOn = "";
			deadline = killed + Duration.ofSeconds(60).toNanos();
			while (rerun < 0 && System.nanoTime() < deadline) {
				Thread.sleep(50);
				List<Task> now = tasks(r1.get("/api/jobs/" + id));
				long after = (System.nanoTime() - killed) / 1_000_000;
				for (Task task : now) {
					if (!lost.contains(task.index())) {
						continue;
					}
					if (claimed < 0 && task.attempts() >= 2) {
						claimed = after;
					}
					if (rerun < 0 && task.running() && !victim.id.equals(task.replica())) {
						rerun = after;
						rerunOn = task.replica() + ", attempts " + task.attempts();
					}
				}
			}
			victim.process.waitFor(10, TimeUnit.SECONDS);
			started.remove(victim);
			System.out.printf(Locale.ROOT, "| %d | %s | %d | %s | %s | %s | ≤ %,d ms (TTL + 2 s) | %s |%n", k, victim.id,
					lost.size(), (claimed >= 0) ? String.format(Locale.ROOT, "%,d", claimed) : "not within 60 s",
					(rerun >= 0) ? String.format(Locale.ROOT, "%,d", rerun) : "not within 60 s", rerunOn, bound,
					passOrMiss(rerun >= 0 && rerun <= bound));
			r1.delete("/api/jobs/" + id);
			if (k < kills) {
				replicas.set(replicas.indexOf(victim), Replica.start(victim.id, true, settings));
			}
		}
		System.out.println();
		stop(replicas.toArray(Replica[]::new));
	}

	record Task(int index, String status, String replica, int attempts) {

		boolean running() {
			return "running".equals(this.status);
		}

	}

	/** The job's tasks as the JSON lists them: index, status, the replica of its worker, attempts. */
	static List<Task> tasks(String job) {
		List<Task> tasks = new ArrayList<>();
		int from = job.indexOf("\"tasks\":[");
		String[] parts = job.substring(from).split("\\{\"index\":");
		for (int i = 1; i < parts.length; i++) {
			String part = parts[i];
			Matcher replica = Pattern.compile("\"replica\":\"([^\"]+)\"").matcher(part);
			Matcher attempts = Pattern.compile("\"attempts\":(\\d+)").matcher(part);
			tasks.add(new Task(Integer.parseInt(part.substring(0, part.indexOf(','))), string(part, "\"status\":\""),
					replica.find() ? replica.group(1) : "", attempts.find() ? Integer.parseInt(attempts.group(1)) : 1));
		}
		return tasks;
	}

	// ---- replicas ----

	/** A replica of the service this bench started, on a free loopback port. */
	static final class Replica {

		final String id;

		final boolean redis;

		final Process process;

		final String base;

		Replica(String id, boolean redis, Process process, String base) {
			this.id = id;
			this.redis = redis;
			this.process = process;
			this.base = base;
		}

		static Replica start(String id, boolean redis, List<String> settings) throws Exception {
			int port = freePort();
			List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
					"-jar", jar, "--server.port=" + port, "--server.address=127.0.0.1"));
			if (redis) {
				command.addAll(List.of("--jobpool.store=redis", "--spring.data.redis.url=redis://127.0.0.1:" + redisPort,
						"--jobpool.cluster.replica-id=" + id));
			}
			command.addAll(settings);
			command.addAll(EXTRA);
			Files.createDirectories(logs);
			// Appended to: a replica started again under the same id keeps its predecessor's log.
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("cluster-" + id + ".log").toFile()))
				.start();
			Replica replica = new Replica(id, redis, process, "http://127.0.0.1:" + port);
			started.add(replica);
			long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
			while (System.nanoTime() < deadline) {
				if (!process.isAlive()) {
					throw new IllegalStateException("Replica " + id + " exited; see " + logs.resolve("cluster-" + id + ".log"));
				}
				try {
					replica.get("/actuator/health/readiness");
					return replica;
				}
				catch (IOException | IllegalStateException ex) {
					Thread.sleep(250);
				}
			}
			throw new IllegalStateException("Replica " + id + " was not ready within 120 s");
		}

		String post(String path, String body) throws IOException {
			HttpURLConnection connection = open(path);
			connection.setRequestMethod("POST");
			connection.setDoOutput(true);
			connection.setRequestProperty("Content-Type", "application/json");
			try (OutputStream out = connection.getOutputStream()) {
				out.write(body.getBytes(StandardCharsets.UTF_8));
			}
			return answer(connection, "POST " + path);
		}

		String get(String path) throws IOException {
			return answer(open(path), "GET " + path);
		}

		void delete(String path) throws IOException {
			HttpURLConnection connection = open(path);
			connection.setRequestMethod("DELETE");
			int status = connection.getResponseCode();
			read((status < 400) ? connection.getInputStream() : connection.getErrorStream());
		}

		private HttpURLConnection open(String path) throws IOException {
			HttpURLConnection connection = (HttpURLConnection) URI.create(this.base + path).toURL().openConnection();
			connection.setConnectTimeout(10_000);
			connection.setReadTimeout(120_000);
			return connection;
		}

		private String answer(HttpURLConnection connection, String what) throws IOException {
			int status = connection.getResponseCode();
			if (status != 200 && status != 202) {
				throw new IllegalStateException(what + " on " + this.id + " answered " + status + ": "
						+ cut(read(connection.getErrorStream()), 600));
			}
			return read(connection.getInputStream());
		}

		@Override
		public String toString() {
			return this.id;
		}

	}

	/** SIGTERM, then SIGKILL for a replica still there after 40 s. */
	static void stop(Replica... replicas) throws InterruptedException {
		for (Replica replica : replicas) {
			replica.process.destroy();
		}
		for (Replica replica : replicas) {
			if (!replica.process.waitFor(40, TimeUnit.SECONDS)) {
				replica.process.destroyForcibly();
				replica.process.waitFor(10, TimeUnit.SECONDS);
			}
			started.remove(replica);
		}
	}

	static void stopAll() {
		try {
			stop(started.toArray(Replica[]::new));
		}
		catch (InterruptedException ex) {
			started.forEach((replica) -> replica.process.destroyForcibly());
		}
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	// ---- Redis, over RESP: one command per connection ----

	static String redis(String... command) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), redisPort)) {
			socket.setSoTimeout(30_000);
			StringBuilder request = new StringBuilder("*").append(command.length).append("\r\n");
			for (String part : command) {
				request.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part).append("\r\n");
			}
			socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
			return reply(new BufferedInputStream(socket.getInputStream()));
		}
	}

	static String reply(InputStream in) throws IOException {
		String line = line(in);
		switch (line.charAt(0)) {
			case '+', ':' -> {
				return line.substring(1);
			}
			case '-' -> throw new IllegalStateException("Redis answered " + line);
			case '$' -> {
				int length = Integer.parseInt(line.substring(1));
				if (length < 0) {
					return "";
				}
				String bulk = new String(in.readNBytes(length), StandardCharsets.UTF_8);
				line(in);
				return bulk;
			}
			case '*' -> {
				StringBuilder items = new StringBuilder();
				for (int i = Integer.parseInt(line.substring(1)); i > 0; i--) {
					items.append(reply(in)).append('\n');
				}
				return items.toString();
			}
			default -> throw new IllegalStateException("Unexpected Redis reply " + line);
		}
	}

	static String line(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		for (int b = in.read(); b != '\n'; b = in.read()) {
			if (b < 0) {
				throw new IOException("Redis closed the connection");
			}
			if (b != '\r') {
				line.append((char) b);
			}
		}
		return line.toString();
	}

	static String configGet(String name) throws IOException {
		String[] answer = redis("CONFIG", "GET", name).split("\n");
		return (answer.length > 1) ? answer[1] : "?";
	}

	static String field(String info, String name) {
		Matcher matcher = Pattern.compile(name + ":([^\\r\\n]+)").matcher(info);
		return matcher.find() ? matcher.group(1) : "?";
	}

	// ---- shared bits ----

	static String urls(int count, int ms) {
		StringBuilder urls = new StringBuilder(count * 48).append('[');
		for (int i = 0; i < count; i++) {
			urls.append((i > 0) ? "," : "").append('"').append(slow).append("/?ms=").append(ms).append("&bytes=512&i=")
				.append(i).append('"');
		}
		return urls.append(']').toString();
	}

	static String check(String job, String total) {
		if (!job.contains("\"status\":\"succeeded\"") || (total != null && !job.contains("\"total\":" + total))) {
			throw new IllegalStateException("Unexpected job: " + cut(job, 800));
		}
		return job;
	}

	static String passOrMiss(boolean pass) {
		return pass ? "**PASS**" : "**MISS**";
	}

	static String loadAverage() throws IOException {
		String[] load = Files.readString(Path.of("/proc/loadavg")).split(" ");
		return load[0] + " / " + load[1];
	}

	static double median(List<Run> runs) {
		return medianOf(runs.stream().map(Run::ms).toList());
	}

	static double medianOf(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int mid = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
	}

	static double number(String json, String field) {
		Matcher matcher = Pattern.compile("\"" + field + "\":([0-9.Ee+-]+)").matcher(json);
		if (!matcher.find()) {
			throw new IllegalStateException("No " + field + " in " + cut(json, 300));
		}
		return Double.parseDouble(matcher.group(1));
	}

	static String string(String json, String prefix) {
		Matcher matcher = Pattern.compile(prefix + "([^\"]+)\"").matcher(json);
		if (!matcher.find()) {
			throw new IllegalStateException("No " + prefix + " in " + cut(json, 300));
		}
		return matcher.group(1);
	}

	static String read(InputStream body) throws IOException {
		if (body == null) {
			return "";
		}
		try (body) {
			return new String(body.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	static String loopback(String url) {
		String host = URI.create(url).getHost();
		if (!host.equals("127.0.0.1") && !host.equals("localhost")) {
			throw new IllegalArgumentException("The bench only targets loopback, not " + host);
		}
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

	static String cut(String text, int length) {
		return text.substring(0, Math.min(length, text.length()));
	}

}
