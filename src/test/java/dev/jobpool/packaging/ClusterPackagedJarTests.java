package dev.jobpool.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.jobpool.ApiClient;
import dev.jobpool.EventStream;
import dev.jobpool.EventStream.Event;
import dev.jobpool.LoopbackHttpServer;
import dev.jobpool.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three replicas of the packaged jar over one real Redis, on loopback: any replica
 * accepts, shows and cancels any job, their tasks spread over the replicas, and no task
 * is lost when replicas are killed, stopped, or Redis goes away for a while, nor when
 * every replica and Redis restart.
 * <p>
 * The replicas start once for the class; a scenario that kills or stops one leaves it to
 * {@link #leaveThreeReplicasAndNoJobRunning()} to start a fresh one (with a new id).
 */
class ClusterPackagedJarTests {

	private static final Duration LONG = Duration.ofSeconds(120);

	/** Three JVMs starting at once on two busy cores may take this long. */
	private static final Duration START = Duration.ofSeconds(180);

	private static final Duration POLL = Duration.ofMillis(250);

	private static final int MAX_QUEUED_TASKS = 300;

	private static final int SLOTS_PER_REPLICA = 10;

	private static RedisServer redis;

	private static LoopbackHttpServer web;

	/** The live replicas, oldest first. */
	private static final List<Replica> replicas = new ArrayList<>();

	/** Every replica and worker process seen, so that none outlives the class. */
	private static final Set<ProcessHandle> processes = new HashSet<>();

	/**
	 * Numbers the replicas' ids ({@code ctest-r1}, …): names of their own, so that a
	 * command aimed at another cluster on this machine by replica id misses them.
	 */
	private static int nextId = 1;

	@BeforeAll
	static void startCluster() throws IOException {
		redis = RedisServer.start();
		web = new LoopbackHttpServer();
		startReplicas(3);
	}

	@AfterEach
	void leaveThreeReplicasAndNoJobRunning() {
		try {
			redis.pid();
		}
		catch (IllegalStateException ex) {
			redis.restart();
		}
		Replica any = replicas.getFirst();
		for (String status : List.of("queued", "running")) {
			for (JsonNode job : any.api.get("/api/jobs?limit=1000&status=" + status).json().get("jobs")) {
				any.api.delete("/api/jobs/" + job.get("id").asString());
			}
		}
		startReplicas(3 - replicas.size());
	}

	@AfterAll
	static void stopEverything() {
		try {
			for (Replica replica : replicas) {
				processes.addAll(replica.process().descendants().toList());
				replica.process().destroyForcibly();
			}
			await("every replica and worker process exits").atMost(Duration.ofSeconds(30))
				.until(() -> processes.stream().noneMatch(ProcessHandle::isAlive));
		}
		finally {
			if (web != null) {
				web.close();
			}
			if (redis != null) {
				redis.close();
			}
		}
	}

	@Test
	void aFetchJobAcceptedByOneReplicaIsTheSameJobOnEveryReplicaAndRunsOnSeveral() {
		Replica a = replicas.get(0);
		Replica b = replicas.get(1);
		Replica c = replicas.get(2);

		String id = submit(a, "/api/jobs/fetch", fetchJob(200, 300, ""));
		CompletableFuture<List<Event>> events = follow(c, id);

		JsonNode onB = job(b, id);
		assertThat(onB.get("id").asString()).isEqualTo(id);
		assertThat(onB.get("submittedAt")).isEqualTo(job(a, id).get("submittedAt"));
		assertThat(onB.get("tasks")).hasSize(200);
		JsonNode finished = awaitFinished(b, id);
		assertThat(finished.get("status").asString()).isEqualTo("succeeded");
		assertThat(job(a, id)).isEqualTo(finished);
		assertThat(job(c, id)).isEqualTo(finished);
		assertThat(listed(b, id)).isEqualTo(listed(c, id)).isEqualTo(listed(a, id));
		assertThat(listed(b, id).get("status").asString()).isEqualTo("succeeded");
		assertSucceededWithResults(finished, 200);
		assertThat(replicasThatRan(finished)).as("replicas that ran the tasks").hasSizeGreaterThan(1);

		assertStreamedEachTaskOnceThenTheJob(events, 200);
	}

	@Test
	void killedReplicasLoseNoTask() {
		Replica accepting = replicas.get(0);
		Replica victim = replicas.get(1);
		Replica third = replicas.get(2);

		String id = submit(accepting, "/api/jobs/fetch", fetchJob(150, 1500, ""));
		CompletableFuture<List<Event>> events = follow(third, id);
		awaitRunningOn(third, id, victim);
		victim.kill();
		Set<Integer> lost = new HashSet<>(runningOn(job(third, id), victim.id));
		awaitRunningOn(third, id, accepting);
		accepting.kill();
		lost.addAll(runningOn(job(third, id), accepting.id));
		Replica fresh = startReplicas(1).getFirst();

		JsonNode finished = awaitFinished(third, id);
		assertThat(finished.get("status").asString()).isEqualTo("succeeded");
		assertSucceededWithResults(finished, 150);
		assertThat(lost).as("tasks running on the killed replicas").isNotEmpty();
		for (int index : lost) {
			JsonNode task = finished.get("tasks").get(index);
			assertThat(task.get("attempts").asInt()).as("attempts of task %d", index).isGreaterThanOrEqualTo(2);
			assertThat(task.get("worker").get("replica").asString()).isIn(third.id, fresh.id);
		}
		assertThat(job(fresh, id)).isEqualTo(finished);
		assertStreamedEachTaskOnceThenTheJob(events, 150);
	}

	@Test
	void aJobOutlivesARestartOfEveryReplicaAndOfRedis() {
		String id = submit(replicas.getFirst(), "/api/jobs/fetch", fetchJob(120, 1000, ""));
		JsonNode before = await("some tasks done").atMost(LONG)
			.pollInterval(POLL)
			.until(() -> job(replicas.getFirst(), id), (job) -> job.get("progress").get("done").asInt() >= 1);

		List.copyOf(replicas).forEach(Replica::kill);
		redis.restart();
		Replica fresh = startReplicas(1).getFirst();

		JsonNode finished = awaitFinished(fresh, id);
		assertThat(finished.get("status").asString()).isEqualTo("succeeded");
		assertSucceededWithResults(finished, 120);
		int ranAgain = 0;
		for (int index = 0; index < 120; index++) {
			JsonNode earlier = before.get("tasks").get(index);
			JsonNode task = finished.get("tasks").get(index);
			if (earlier.get("status").asString().equals("succeeded")) {
				assertThat(task).as("task %d, done before the restart", index).isEqualTo(earlier);
			}
			else if (task.get("attempts") != null && task.get("attempts").asInt() >= 2) {
				ranAgain++;
				assertThat(task.get("worker").get("replica").asString()).isEqualTo(fresh.id);
			}
		}
		assertThat(ranAgain).as("tasks running when every replica was killed, run again").isPositive();
	}

	@Test
	void aSumPast2To63IsExactAcrossReplicas() {
		List<Long> numbers = List.of(5_000_000_000L, 10_000_000_000L);
		Map<String, Long> before = completedOnProcess(replicas.getFirst());

		String id = submit(replicas.get(1), "/api/jobs/sum",
				"{\"numbers\":[5000000000,10000000000],\"executor\":\"process\"}");
		JsonNode finished = awaitFinished(replicas.get(2), id);

		assertThat(finished.get("status").asString()).isEqualTo("succeeded");
		BigInteger total = BigInteger.ZERO;
		for (int i = 0; i < numbers.size(); i++) {
			BigInteger n = BigInteger.valueOf(numbers.get(i));
			BigInteger expected = n.multiply(n.subtract(BigInteger.ONE)).shiftRight(1);
			assertThat(new BigInteger(finished.get("tasks").get(i).get("result").asString())).isEqualTo(expected);
			total = total.add(expected);
		}
		assertThat(total).isGreaterThan(BigInteger.TWO.pow(63));
		assertThat(new BigInteger(finished.get("result").get("total").asString())).isEqualTo(total);
		int units = 0;
		for (JsonNode task : finished.get("tasks")) {
			units += task.has("chunks") ? task.get("chunks").asInt() : 1;
		}
		assertThat(units).as("chunks of the sums").isGreaterThan(1);
		int chunks = units;
		Map<String, Long> ran = await("every chunk counted by its replica").atMost(Duration.ofSeconds(30))
			.pollInterval(POLL)
			.until(() -> delta(before, completedOnProcess(replicas.getFirst())),
					(delta) -> delta.values().stream().mapToLong(Long::longValue).sum() >= chunks);
		assertThat(ran.values().stream().filter((count) -> count > 0)).as("replicas that ran chunks %s", ran)
			.hasSizeGreaterThan(1);
	}

	@Test
	void anIdempotencyKeyAndTheQueueBoundHoldAcrossReplicas() {
		String key = UUID.randomUUID().toString();
		String body = fetchJob(3, 10, "");
		ApiClient.Response first = withKey(replicas.get(0), key, body);
		ApiClient.Response again = withKey(replicas.get(1), key, body);
		ApiClient.Response other = withKey(replicas.get(2), key, fetchJob(4, 10, ""));

		assertThat(first.status()).isEqualTo(202);
		assertThat(again.status()).isIn(200, 202);
		assertThat(again.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
		assertThat(other.status()).isEqualTo(422);
		assertThat(other.json().get("code").asString()).isEqualTo("idempotency_key_reused");

		// One task runs at a time: the other 249 stay queued, cluster-wide.
		int blocking = 250;
		String blocker = submit(replicas.get(0), "/api/jobs/fetch", fetchJob(blocking, 2000, ",\"concurrency\":1"));
		ApiClient.Response refused = replicas.get(1).api.post("/api/jobs/fetch", fetchJob(100, 10, ""));

		assertThat(refused.status()).as(refused.body()).isEqualTo(429);
		assertThat(refused.json().get("code").asString()).isEqualTo("queue_full");
		assertThat(refused.header("Retry-After")).isNotEmpty();
		assertThat(replicas.get(2).api.delete("/api/jobs/" + blocker).status()).isEqualTo(200);
		assertThat(awaitFinished(replicas.get(1), blocker).get("status").asString()).isEqualTo("cancelled");
		await("the cancelled job's tasks leave the cluster's queue").atMost(Duration.ofSeconds(10))
			.pollInterval(POLL)
			.until(() -> replicas.get(2).api.get("/api/cluster").json().get("queuedTasks").path("virtual").asInt(),
					(queued) -> queued == 0);
	}

	@Test
	void aDeleteOnOneReplicaCancelsAJobAcceptedByAnother() {
		Replica accepting = replicas.get(0);
		Replica deleting = replicas.get(1);
		String id = submit(accepting, "/api/jobs/fetch", fetchJob(40, 25_000, ",\"timeoutMs\":60000"));
		Set<String> ids = replicas.stream().map(Replica::id).collect(Collectors.toSet());
		await("tasks running on every replica").atMost(LONG)
			.pollInterval(POLL)
			.until(() -> replicasRunning(job(accepting, id)).containsAll(ids));

		long deleted = System.nanoTime();
		assertThat(deleting.api.delete("/api/jobs/" + id).status()).isEqualTo(200);
		JsonNode finished = awaitFinished(replicas.get(2), id);

		assertThat(Duration.ofNanos(System.nanoTime() - deleted)).as("time until every running task stopped")
			.isLessThan(Duration.ofSeconds(15));
		assertThat(finished.get("status").asString()).isEqualTo("cancelled");
		assertThat(finished.get("tasks")).allSatisfy((task) -> {
			assertThat(task.get("status").asString()).as("task %s", task.get("index")).isEqualTo("cancelled");
			assertThat(task.get("error").get("code").asString()).isEqualTo("cancelled");
		});
	}

	@Test
	void aGracefulStopHandsItsRunningTasksBackToTheCluster() throws InterruptedException {
		Replica stopping = replicas.get(1);
		Replica other = replicas.get(0);
		String id = submit(other, "/api/jobs/fetch", fetchJob(30, 4000, ""));
		awaitRunningOn(other, id, stopping);
		List<Integer> handedBack = runningOn(job(other, id), stopping.id);

		stopping.stop();

		assertThat(clusterIds(other)).as("live replicas once it stopped").doesNotContain(stopping.id);
		JsonNode finished = awaitFinished(other, id);
		assertThat(finished.get("status").asString()).isEqualTo("succeeded");
		assertSucceededWithResults(finished, 30);
		assertThat(handedBack).isNotEmpty();
		for (int index : handedBack) {
			assertThat(finished.get("tasks").get(index).get("worker").get("replica").asString())
				.as("replica of task %d", index)
				.isNotEqualTo(stopping.id);
		}
		assertThat(stopping.log()).contains("handed");
	}

	@Test
	void whileRedisIsDownReplicasAnswer503AndTheJobCompletesOnceItIsBack() {
		Replica a = replicas.get(0);
		Replica b = replicas.get(1);
		Replica c = replicas.get(2);
		String id = submit(a, "/api/jobs/fetch", fetchJob(120, 1000, ""));
		await("some tasks done").atMost(LONG)
			.pollInterval(POLL)
			.until(() -> job(c, id).get("progress").get("done").asInt() >= 10);

		redis.stop();
		ApiClient.Response post = await("a POST refused").atMost(Duration.ofSeconds(30))
			.pollInterval(POLL)
			.until(() -> b.api.post("/api/jobs/fetch", fetchJob(1, 10, "")), (response) -> response.status() == 503);
		ApiClient.Response get = await("a GET refused").atMost(Duration.ofSeconds(30))
			.pollInterval(POLL)
			.until(() -> c.api.get("/api/jobs/" + id), (response) -> response.status() == 503);
		await("readiness down").atMost(Duration.ofSeconds(30))
			.pollInterval(POLL)
			.until(() -> a.api.get("/actuator/health/readiness").status() == 503);
		int liveness = a.api.get("/actuator/health/liveness").status();
		redis.restart();

		for (ApiClient.Response refused : List.of(post, get)) {
			assertThat(refused.json().get("code").asString()).isEqualTo("store_unavailable");
			assertThat(refused.header("Retry-After")).isNotEmpty();
		}
		assertThat(liveness).isEqualTo(200);
		JsonNode finished = awaitFinished(b, id);
		assertThat(finished.get("status").asString()).isEqualTo("succeeded");
		assertSucceededWithResults(finished, 120);
		for (Replica replica : replicas) {
			await("readiness of " + replica.id + " up again").atMost(Duration.ofSeconds(30))
				.pollInterval(POLL)
				.until(() -> replica.api.get("/actuator/health/readiness").status() == 200);
		}
	}

	// ---------------------------------------------------------------- jobs

	private static String fetchJob(int urls, int delayMs, String options) {
		String list = IntStream.range(0, urls)
			.mapToObj((i) -> "\"" + web.url("/delay?ms=" + delayMs + "&bytes=100&i=" + i) + "\"")
			.collect(Collectors.joining(","));
		return "{\"urls\":[" + list + "],\"executor\":\"virtual\"" + options + "}";
	}

	private static String submit(Replica replica, String path, String body) {
		ApiClient.Response response = replica.api.post(path, body);
		assertThat(response.status()).as("%s answered %s", replica.id, response.body()).isEqualTo(202);
		return response.json().get("id").asString();
	}

	private static ApiClient.Response withKey(Replica replica, String key, String body) {
		return replica.api.send(HttpRequest.newBuilder(replica.api.uri("/api/jobs/fetch"))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", key)
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private static JsonNode job(Replica replica, String id) {
		ApiClient.Response response = replica.api.get("/api/jobs/" + id);
		assertThat(response.status()).as("%s answered %s", replica.id, response.body()).isEqualTo(200);
		return response.json();
	}

	private static JsonNode listed(Replica replica, String id) {
		return StreamSupport
			.stream(replica.api.get("/api/jobs?type=fetch&limit=1000").json().get("jobs").spliterator(), false)
			.filter((job) -> job.get("id").asString().equals(id))
			.findFirst()
			.orElseThrow(() -> new AssertionError(replica.id + " does not list job " + id));
	}

	private static JsonNode awaitFinished(Replica replica, String id) {
		return await("job " + id + " finished, read on " + replica.id).atMost(LONG)
			.pollInterval(POLL)
			.ignoreExceptions()
			.until(() -> job(replica, id),
					(job) -> List.of("succeeded", "failed", "cancelled").contains(job.get("status").asString()));
	}

	private static void awaitRunningOn(Replica reader, String id, Replica runner) {
		await("job " + id + " has tasks running on " + runner.id).atMost(LONG)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> !runningOn(job(reader, id), runner.id).isEmpty());
	}

	private static List<Integer> runningOn(JsonNode job, String replica) {
		List<Integer> running = new ArrayList<>();
		for (JsonNode task : job.get("tasks")) {
			if (task.get("status").asString().equals("running") && task.has("worker")
					&& replica.equals(task.get("worker").path("replica").asString())) {
				running.add(task.get("index").asInt());
			}
		}
		return running;
	}

	private static Set<String> replicasRunning(JsonNode job) {
		Set<String> running = new HashSet<>();
		for (JsonNode task : job.get("tasks")) {
			if (task.get("status").asString().equals("running") && task.has("worker")) {
				running.add(task.get("worker").path("replica").asString());
			}
		}
		return running;
	}

	private static Set<String> replicasThatRan(JsonNode job) {
		Set<String> ran = new HashSet<>();
		job.get("tasks").forEach((task) -> ran.add(task.get("worker").get("replica").asString()));
		return ran;
	}

	private static void assertSucceededWithResults(JsonNode job, int tasks) {
		assertThat(job.get("tasks")).hasSize(tasks).allSatisfy((task) -> {
			assertThat(task.get("status").asString()).as("task %s", task).isEqualTo("succeeded");
			assertThat(task.get("result").get("status").asInt()).isEqualTo(200);
			assertThat(task.get("result").get("bytes").asLong()).isEqualTo(100);
			assertThat(task.get("result").get("finalUrl").asString()).isEqualTo(task.get("input").asString());
		});
		assertThat(job.get("result").get("ok").asInt()).isEqualTo(tasks);
	}

	private static CompletableFuture<List<Event>> follow(Replica replica, String id) {
		return CompletableFuture.supplyAsync(() -> EventStream.follow(replica.api, "/api/jobs/" + id + "/events", LONG),
				(task) -> Thread.ofVirtual().start(task));
	}

	/** One task event per task, however often it ran, then the finished job. */
	private static void assertStreamedEachTaskOnceThenTheJob(CompletableFuture<List<Event>> events, int tasks) {
		List<Event> stream = events.join();
		assertThat(stream.getLast().name()).isEqualTo("job");
		assertThat(stream.getLast().data().get("status").asString()).isEqualTo("succeeded");
		assertThat(stream.stream()
			.filter((event) -> event.name().equals("task"))
			.map((event) -> event.data().get("index").asInt())
			.toList()).containsExactlyInAnyOrderElementsOf(IntStream.range(0, tasks).boxed().toList());
	}

	// ---------------------------------------------------------------- cluster

	private static Set<String> clusterIds(Replica reader) {
		Set<String> ids = new HashSet<>();
		reader.api.get("/api/cluster")
			.json()
			.get("replicas")
			.forEach((replica) -> ids.add(replica.get("id").asString()));
		return ids;
	}

	/**
	 * The live replicas a replica counts when it plans a job's concurrency (its reaper
	 * counts them), as its {@code jobpool.cluster.replicas} gauge shows.
	 */
	private static int liveReplicasCounted(Replica replica) {
		return replica.api.get("/actuator/metrics/jobpool.cluster.replicas")
			.json()
			.get("measurements")
			.get(0)
			.get("value")
			.asInt();
	}

	/** The tasks each live replica's process executor has run since it started. */
	private static Map<String, Long> completedOnProcess(Replica reader) {
		Map<String, Long> completed = new HashMap<>();
		for (JsonNode replica : reader.api.get("/api/cluster").json().get("replicas")) {
			for (JsonNode executor : replica.get("executors")) {
				if (executor.get("executor").asString().equals("process")) {
					completed.put(replica.get("id").asString(), executor.get("completed").asLong());
				}
			}
		}
		return completed;
	}

	private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
		Map<String, Long> delta = new HashMap<>();
		after.forEach((id, count) -> delta.put(id, count - before.getOrDefault(id, 0L)));
		return delta;
	}

	/**
	 * Start replicas in parallel and wait until every live replica sees all of them.
	 */
	private static List<Replica> startReplicas(int count) {
		List<Replica> started = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			started.add(Replica.launch("ctest-r" + nextId++));
		}
		replicas.addAll(started);
		Set<String> ids = replicas.stream().map(Replica::id).collect(Collectors.toSet());
		for (Replica replica : started) {
			await(replica.id + " ready").atMost(START)
				.pollInterval(Duration.ofMillis(500))
				.ignoreExceptions()
				.until(() -> {
					assertThat(replica.process().isAlive()).as("%s exited; its log:%n%s", replica.id, replica.log())
						.isTrue();
					return replica.api.get("/actuator/health/readiness").status() == 200;
				});
			processes.addAll(replica.process().descendants().toList());
		}
		for (Replica replica : replicas) {
			await(replica.id + " sees every replica").atMost(Duration.ofSeconds(30))
				.pollInterval(POLL)
				.until(() -> clusterIds(replica).equals(ids) && liveReplicasCounted(replica) == ids.size());
		}
		return started;
	}

	/**
	 * One replica: {@code java -jar} of the packaged jar on a free port, over the class's
	 * Redis, its output in a log file of its own. C1 alone compiles it: three replicas
	 * then start in about half the CPU time on two cores.
	 */
	private record Replica(String id, ApiClient api, PackagedJar.Run run) {

		static Replica launch(String id) {
			try {
				PackagedJar.Run run = PackagedJar.start(id, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
						"--jobpool.store=redis", "--spring.data.redis.url=" + redis.url(),
						"--jobpool.cluster.replica-id=" + id,
						"--jobpool.executors.virtual-max-running=" + SLOTS_PER_REPLICA,
						"--jobpool.fetch.allowed-hosts=127.0.0.1",
						"--jobpool.jobs.max-queued-tasks=" + MAX_QUEUED_TASKS, "--jobpool.process.workers=1",
						"--jobpool.process.spawn-max-running=1", "--jobpool.executors.shutdown-grace=1s",
						// The replicas' JIT warm-up is WarmUpTests' subject, not this
						// class's.
						"--jobpool.warmup.enabled=false");
				processes.add(run.process().toHandle());
				return new Replica(id, new ApiClient(run.port()), run);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		Process process() {
			return this.run.process();
		}

		/** Kill it with SIGKILL, as a crash would, and forget it. */
		void kill() {
			processes.addAll(this.process().descendants().toList());
			this.process().destroyForcibly();
			await(this.id + " killed").atMost(Duration.ofSeconds(30)).until(() -> !this.process().isAlive());
			replicas.remove(this);
		}

		/**
		 * Stop it with SIGTERM, as a deploy would, wait until it exits, and forget it.
		 */
		void stop() throws InterruptedException {
			processes.addAll(this.process().descendants().toList());
			this.process().destroy();
			assertThat(this.process().waitFor(60, TimeUnit.SECONDS)).as("%s stopped", this.id).isTrue();
			replicas.remove(this);
		}

		String log() {
			return this.run.output();
		}

	}

}
