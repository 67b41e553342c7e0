package dev.jobpool.job.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.jobpool.RedisServer;
import dev.jobpool.task.FetchResult;
import dev.jobpool.task.TaskErrorCode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The store's atomic steps, one Lua script each, against a real {@code redis-server}: who
 * claims what, what a late or repeated completion changes, how the work of a dead replica
 * comes back, and what a cancel leaves.
 */
@EnabledIf("dev.jobpool.RedisServer#usable")
class RedisScriptsTests {

	private static final Duration RETENTION = Duration.ofHours(1);

	private static RedisServer redis;

	private static LettuceConnectionFactory connections;

	private final RedisCodec codec = new RedisCodec();

	private RedisStore store;

	@BeforeAll
	static void startRedis() {
		redis = RedisServer.start();
		connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
		connections.afterPropertiesSet();
		connections.start();
	}

	@AfterAll
	static void stopRedis() {
		connections.destroy();
		redis.close();
	}

	@BeforeEach
	void store() {
		this.store = new RedisStore(new StringRedisTemplate(connections), "t" + UUID.randomUUID(),
				Duration.ofSeconds(1), Duration.ofSeconds(2));
	}

	@Test
	void aUnitThatRanTwiceRecordsTheFirstEndOnly() {
		String job = admit(1, 1);
		assertThat(claim("a", 1)).hasSize(1);
		assertThat(reclaimDead("a", 3)).containsExactly(1L, 1L, 0L);
		List<List<Object>> retried = claim("b", 1);
		assertThat(retried).hasSize(1);
		assertThat(retried.get(0).get(4)).isEqualTo("retry");

		assertThat(complete(job, 0, sum("45"))).containsExactly(1L, 1L, 1L);
		assertThat(complete(job, 0, sum("99"))).containsExactly(0L, 0L, 0L);

		Map<String, String> hash = this.store.job(job);
		assertThat(hash).containsEntry("status", "succeeded")
			.containsEntry("total", "45")
			.containsEntry("inflight", "0");
		assertThat(this.store.tasks(job)).containsEntry("a:0", "1");
		assertThat(this.store.queued()).containsEntry("total", "0");
	}

	@Test
	void pastTheRedeliveryBoundALostUnitFailsWorkerLost() {
		String job = admit(1, 1);
		claim("a", 1);
		assertThat(reclaimDead("a", 1)).containsExactly(1L, 1L, 0L);
		claim("b", 1);

		assertThat(reclaimDead("b", 1)).containsExactly(1L, 0L, 1L);

		assertThat(this.store.job(job)).containsEntry("status", "failed").containsEntry("failed", "1");
		assertThat(this.store.tasks(job)).containsEntry("c:0", "worker_lost");
		assertThat(claim("c", 1)).isEmpty();
	}

	@Test
	void aLiveReplicaKeepsItsClaims() {
		admit(1, 1);
		claim("a", 1);
		this.store.heartbeat("a", "[]", Duration.ofSeconds(30));

		assertThat(reclaimDead("a", 3)).containsExactly(0L, 0L, 0L);
		assertThat(claim("b", 1)).isEmpty();
	}

	@Test
	void aReplicaThatStopsHandsItsUnitsBackFirstInLineWithoutCountingThem() {
		String first = admit(2, 2);
		claim("a", 2);
		String second = admit(1, 1);

		assertThat(this.store.reclaim("a", "handback", 3, lost(), RETENTION)).containsExactly(2L, 2L, 0L);

		List<List<Object>> next = claim("b", 2);
		assertThat(next).extracting((unit) -> unit.get(0)).containsExactly(first, first);
		assertThat(this.store.tasks(first)).doesNotContainKey("r:0").doesNotContainKey("r:1");
		assertThat(claim("b", 1)).extracting((unit) -> unit.get(0)).containsExactly(second);
	}

	@Test
	void jobsTakeTurnsAndNoJobRunsMoreThanItsConcurrency() {
		String one = admit(4, 1);
		String two = admit(4, 4);

		List<List<Object>> claimed = claim("a", 4);

		assertThat(claimed).extracting((unit) -> unit.get(0)).containsExactly(one, two, two, two);
		assertThat(this.store.job(one)).containsEntry("inflight", "1");
		assertThat(this.store.queued()).containsEntry("total", "4");
	}

	@Test
	void aClaimTellsWhenItsJobWasAloneInLineWithUnitsLeft() {
		String job = admit(3, 3);

		assertThat(claim("a", 2)).extracting((unit) -> unit.get(4)).containsExactly("alone", "alone");
		admit(1, 1);
		assertThat(claim("a", 2)).extracting((unit) -> unit.get(0), (unit) -> unit.get(4))
			.first()
			.isEqualTo(tuple(job, "first"));
	}

	@Test
	void aCancelledJobLeavesTheLineSoThatTheJobBeforeItIsAlone() {
		String before = admit(3, 3);
		String cancelled = admit(3, 3);
		this.store.cancel(cancelled, "cancelled by request", cancelled(), RETENTION);

		assertThat(claim("a", 2)).extracting((unit) -> unit.get(0), (unit) -> unit.get(4))
			.containsExactly(tuple(before, "alone"), tuple(before, "alone"));
	}

	@Test
	void theLastUnitsOfAJobAloneInLineAreFirstNotAlone() {
		admit(3, 3);
		claim("a", 1);

		assertThat(claim("a", 5)).extracting((unit) -> unit.get(4)).containsExactly("first", "first");
	}

	@Test
	void aCancelEndsTheWaitingUnitsAtOnceAndTheJobWhenTheRunningOneEnds() {
		String job = admit(3, 1);
		claim("a", 1);

		assertThat(this.store.cancel(job, "cancelled by request", cancelled(), RETENTION)).isEqualTo("ok");

		assertThat(this.store.job(job)).containsEntry("status", "queued")
			.containsEntry("ended", "2")
			.containsEntry("cancelled", "2");
		assertThat(this.store.queued()).containsEntry("total", "0");
		complete(job, 0, cancelled());
		assertThat(this.store.job(job)).containsEntry("status", "cancelled").containsEntry("cancelled", "3");
		assertThat(this.store.events(job, 0, -1)).hasSize(4).last().isEqualTo("end");
		assertThat(this.store.cancel(job, "again", cancelled(), RETENTION)).isEqualTo("finished");
	}

	@Test
	void admissionIsBoundedAndRetentionDropsTheOldestFinishedJob() {
		String first = admit(1, 1);
		claim("a", 1);
		complete(first, 0, sum("0"));

		List<Object> full = this.store.admit(arguments(UUID.randomUUID().toString(), 11, 1, 10, 10));
		assertThat(full).containsExactly("full", "0");
		this.store.admit(arguments(UUID.randomUUID().toString(), 1, 1, 10, 1));

		assertThat(this.store.job(first)).isEmpty();
	}

	@Test
	void theAcceptingReplicaClaimsWhatItCanStartInTheSameStep() {
		String id = UUID.randomUUID().toString();

		List<Object> answer = this.store.admit(arguments(id, 3, 2, 1000, 1000, "a", 5));

		assertThat(answer).hasSize(3).startsWith("created", id);
		assertThat(units(answer.get(2))).extracting((unit) -> unit.get(1)).containsExactly("0", "1");
		assertThat(this.store.job(id)).containsEntry("inflight", "2").containsEntry("next", "2");
		assertThat(this.store.queued()).containsEntry("total", "1");
		assertThat(claim("b", 5)).as("the job is at its concurrency").isEmpty();
	}

	@Test
	void aReportOfEndsClaimsTheNextUnitsForTheSlotsTheyFreed() {
		String job = admit(4, 2);
		claim("a", 2);
		String outcome = sum("1");

		List<Object> reply = this.store
			.reportAsync(List.of("e", job, "0", "0", "1", outcome, "", "0", "e", job, "1", "1", "1", outcome, "", "0"),
					RETENTION, "a", Map.of("platform", 4), List.of())
			.join();

		assertThat(reply.get(0)).isEqualTo(List.of(3L, 3L));
		List<?> claims = (List<?>) reply.get(1);
		assertThat(claims.get(0)).isEqualTo("platform");
		assertThat(units(claims.get(1))).as("two freed places in the job's concurrency")
			.extracting((unit) -> unit.get(1))
			.containsExactly("2", "3");
		assertThat(this.store.job(job)).containsEntry("inflight", "2").containsEntry("ended", "2");
		assertThat(this.store.queued()).containsEntry("total", "0");
	}

	@Test
	void aReportAddsUpAJobsCountersOverItsEndsAndFinishesTheJobOnceAtItsLastEnd() {
		String job = admit(3, 3);
		claim("a", 3);
		String ok = fetched(200, 5);
		assertThat(ok).as("the beginning that the report script reads without decoding the outcome")
			.startsWith("{\"fetch\":{\"status\":200,\"bytes\":5,");
		String missing = "{\"ms\":1.0,\"fetch\":{\"bytes\":7,\"status\":404}}";

		List<Object> reply = this.store
			.reportAsync(
					List.of("e", job, "0", "0", "1", ok, "", "0", "e", job, "1", "1", "1", missing, "", "0", "e", job,
							"1", "1", "1", ok, "", "0", "e", job, "2", "2", "1", ok, "", "0"),
					RETENTION, "a", Map.of("platform", 3), List.of())
			.join();

		assertThat(reply.get(0)).as("the repeat of unit 1 records nothing; the last end finishes the job")
			.isEqualTo(List.of(3L, 3L, 0L, 7L));
		assertThat(this.store.job(job)).containsEntry("status", "succeeded")
			.containsEntry("ok", "3")
			.containsEntry("bytes", "17")
			.containsEntry("sc:200", "2")
			.containsEntry("sc:404", "1")
			.containsEntry("inflight", "0")
			.containsEntry("ended", "3");
	}

	@Test
	void oneReportOfChunksHeldByTwoReplicasAddsTheTotalPast2To63AndGivesUpEveryClaim() {
		String id = UUID.randomUUID().toString();
		List<String> args = arguments(id, 0, 4, 1000, 1000);
		args.set(7, "3");
		args.set(8, "2");
		args.set(10, "1");
		args.add("{\"t\":0,\"k\":2,\"n\":10}");
		args.add("{\"t\":0,\"k\":2,\"n\":10}");
		args.add("{\"t\":1,\"k\":1,\"n\":10}");
		args.addAll(List.of("m:0", "0,1"));
		assertThat(this.store.admit(args)).startsWith("created", id);
		assertThat(claim("a", 1)).extracting((unit) -> unit.get(1)).containsExactly("0");
		assertThat(claim("b", 2)).as("the job alone in line gives both at once")
			.extracting((unit) -> unit.get(1))
			.containsExactly("1", "2");
		String large = "9223372036854775807";

		List<Object> reply = this.store
			.reportAsync(List.of("s", id, "0", "0", "2", "{}", "", "5000", "s", id, "2", "1", "1", "{}", "", "5000",
					"e", id, "1", "0", "2", sum(large), "", "0", "e", id, "0", "0", "2", sum(large), "", "0", "e", id,
					"2", "1", "1", sum("1"), "", "0"), RETENTION, "a", Map.of(), List.of())
			.join();

		assertThat(reply.get(0)).isEqualTo(List.of(0L, -1L, 1L, 3L, 7L));
		assertThat(this.store.job(id)).containsEntry("status", "succeeded")
			.containsEntry("total", "18446744073709551615")
			.containsEntry("inflight", "0")
			.containsEntry("ended", "2");
		assertThat(this.store.job(id)).as("each task ran from its start, 5 s before the report")
			.containsEntry("busyMs", "10000");
		assertThat(this.store.tasks(id)).containsEntry("e:0", "2").containsEntry("e:1", "1").containsKey("d:1");
		assertThat(this.store.claimsOf("a")).isEmpty();
		assertThat(this.store.claimsOf("b")).isEmpty();
		assertThat(this.store.events(id, 0, -1)).containsExactly("0|1|0|0", "1|2|0|0", "end");
	}

	@Test
	void reportsSentWithoutWaitingRunInTheOrderSentAndAnAdmissionAfterARestartLoadsItsScriptAgain() {
		String job = admit(2, 2);
		claim("a", 2);
		String outcome = sum("1");
		CompletableFuture<List<Object>> start = this.store.reportAsync(
				List.of("s", job, "0", "0", "1", "{\"kind\":\"platform\"}", "", "0"), RETENTION, "a", Map.of(),
				List.of());
		CompletableFuture<List<Object>> end = this.store.reportAsync(List.of("e", job, "0", "0", "1", outcome, "", "0"),
				RETENTION, "a", Map.of(), List.of());

		assertThat(start.join().get(0)).as("the job's first start, after how long it waited")
			.isInstanceOfSatisfying(List.class, (answers) -> assertThat((Long) answers.get(0)).isNotNegative());
		assertThat(end.join().get(0)).isEqualTo(List.of(3L));
		assertThat(this.store.tasks(job)).containsKey("w:0").containsKey("s:0");

		new StringRedisTemplate(connections).execute((RedisCallback<String>) (connection) -> {
			connection.scriptingCommands().scriptFlush();
			return "OK";
		});
		String id = UUID.randomUUID().toString();
		assertThat(this.store.admit(arguments(id, 1, 1, 1000, 1000))).startsWith("created", id);
		assertThat(this.store.reportAsync(List.of("e", job, "1", "1", "1", outcome, "", "0"), RETENTION, "a", Map.of(),
				List.of()))
			.as("a report Redis no longer knows the script of goes again")
			.failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.withCauseInstanceOf(StoreUnavailableException.class);
		assertThat(this.store
			.reportAsync(List.of("e", job, "1", "1", "1", outcome, "", "0"), RETENTION, "a", Map.of(), List.of())
			.join()
			.get(0)).isEqualTo(List.of(7L));
	}

	@Test
	void startsAndEndsAreDatedWhenTheyHappenedNotWhenTheReportArrived() {
		String job = admit(1, 1);
		claim("a", 1);
		long before = this.store.now();

		this.store
			.reportAsync(
					List.of("s", job, "0", "0", "1", "{}", "", "5000", "e", job, "0", "0", "1", sum("1"), "", "2000"),
					RETENTION, "a", Map.of(), List.of())
			.join();

		long after = this.store.now();
		Map<String, String> tasks = this.store.tasks(job);
		assertThat(Long.parseLong(tasks.get("s:0"))).isBetween(before - 5000, after - 5000);
		assertThat(Long.parseLong(tasks.get("d:0"))).isBetween(before - 2000, after - 2000);
		assertThat(this.store.job(job)).containsEntry("startedAt", tasks.get("s:0"))
			.containsEntry("finishedAt", tasks.get("d:0"))
			.containsEntry("status", "succeeded");
	}

	@Test
	void aReportThatFinishesAnAwaitedJobBringsItBackWhole() {
		String awaited = admit(1, 1);
		String other = admit(1, 1);
		claim("a", 2);

		List<Object> reply = this.store
			.reportAsync(List.of("e", awaited, "0", "0", "1", sum("7"), "", "0", "e", other, "0", "0", "1", sum("8"),
					"", "0"), RETENTION, "a", Map.of(), List.of(awaited))
			.join();

		List<?> wholes = (List<?>) reply.get(2);
		assertThat(wholes).hasSize(2).first().isEqualTo(awaited);
		RedisStore.WholeJob whole = RedisStore.whole((List<?>) wholes.get(1));
		assertThat(whole.job()).containsEntry("status", "succeeded").containsEntry("total", "7");
		assertThat(whole.tasks().get("u:0")).isNotNull();
		assertThat(whole.inputs()).isEqualTo("[]");
	}

	@Test
	void aCallbackLeaseThatRanOutCountsAsAnAttemptAndTheOneThatSpendsTheLastFailsWorkerLost() {
		String job = endedJobWithCallback();

		assertThat(this.store.claimCallbacks(10, Duration.ZERO, 3)).containsExactly(0L, job, "sum");
		assertThat(this.store.job(job)).doesNotContainKey("cbAttempts");
		assertThat(this.store.claimCallbacks(10, Duration.ZERO, 3)).containsExactly(1L, job, "sum");
		assertThat(this.store.job(job)).containsEntry("cbAttempts", "1").containsEntry("cbError", "worker_lost");
		assertThat(this.store.claimCallbacks(10, Duration.ZERO, 3)).containsExactly(1L, job, "sum");

		assertThat(this.store.claimCallbacks(10, Duration.ZERO, 3)).containsExactly(1L);
		assertThat(this.store.job(job)).containsEntry("cbAttempts", "3")
			.containsEntry("cbStatus", "failed")
			.containsEntry("cbError", "worker_lost")
			.doesNotContainKey("cbLeased");
		assertThat(this.store.pendingCallbacks()).isZero();
	}

	@Test
	void aRecordedOrHandedBackCallbackLeaseCountsNoLostAttempt() {
		String job = endedJobWithCallback();
		assertThat(this.store.claimCallbacks(10, Duration.ofMinutes(1), 3)).containsExactly(0L, job, "sum");
		assertThat(this.store.claimCallbacks(10, Duration.ofMinutes(1), 3)).containsExactly(0L);
		this.store.callbackAttempted(job,
				List.of("pending", "500", "http_status", "the receiver answered 500", "1", "0"));

		assertThat(this.store.claimCallbacks(10, Duration.ZERO, 3)).containsExactly(0L, job, "sum");
		this.store.releaseCallbacks(List.of(job));
		assertThat(this.store.claimCallbacks(10, Duration.ZERO, 3)).containsExactly(0L, job, "sum");
		assertThat(this.store.job(job)).containsEntry("cbAttempts", "1").containsEntry("cbError", "http_status");
		this.store.callbackAttempted(job, List.of("delivered", "204", "", "", "2", ""));

		assertThat(this.store.claimCallbacks(10, Duration.ZERO, 3)).containsExactly(0L);
		assertThat(this.store.job(job)).containsEntry("cbAttempts", "2")
			.containsEntry("cbStatus", "delivered")
			.doesNotContainKey("cbError")
			.doesNotContainKey("cbLeased");
	}

	private String endedJobWithCallback() {
		String id = UUID.randomUUID().toString();
		List<String> args = arguments(id, 1, 1, 1000, 1000);
		args.set(9, "4");
		args.addAll(14, List.of("cbUrl", "http://127.0.0.1:9/hook"));
		assertThat(this.store.admit(args)).startsWith("created", id);
		claim("a", 1);
		assertThat(complete(id, 0, sum("45"))).containsExactly(1L, 1L, 1L);
		return id;
	}

	private String admit(int units, int concurrency) {
		String id = UUID.randomUUID().toString();
		assertThat(this.store.admit(arguments(id, units, concurrency, 1000, 1000))).startsWith("created", id);
		return id;
	}

	private List<String> arguments(String id, int units, int concurrency, int maxQueued, int maxJobs) {
		return arguments(id, units, concurrency, maxQueued, maxJobs, "a", 0);
	}

	private List<String> arguments(String id, int units, int concurrency, int maxQueued, int maxJobs, String replica,
			int claim) {
		List<String> args = new ArrayList<>(List.of(id, "", "fingerprint", Integer.toString(maxQueued), "platform",
				Long.toString(RETENTION.toMillis()), Integer.toString(maxJobs), Integer.toString(units),
				Integer.toString(units), "3", "0", "[]", replica, Integer.toString(claim), "type", "sum", "conc",
				Integer.toString(concurrency), "timeoutMs", "1000"));
		for (int unit = 0; unit < units; unit++) {
			args.add("{\"t\":" + unit + ",\"k\":1,\"n\":10}");
		}
		return args;
	}

	private List<List<Object>> claim(String replica, int max) {
		return units(this.store.claim("platform", replica, max));
	}

	private static List<List<Object>> units(Object claimed) {
		@SuppressWarnings("unchecked")
		List<Object> flat = (List<Object>) claimed;
		List<List<Object>> units = new ArrayList<>();
		for (int i = 0; i < flat.size(); i += 6) {
			units.add(flat.subList(i, i + 6));
		}
		return units;
	}

	private List<Object> reclaimDead(String replica, int maxRedeliveries) {
		return this.store.reclaim(replica, "dead", maxRedeliveries, lost(), RETENTION);
	}

	private List<Long> complete(String job, int unit, String outcome) {
		String code = outcome.contains("\"code\"") ? this.codec.outcome(outcome).code() : "";
		// As a replica reports it: one end in a batch; the answer's bits are recorded,
		// task ended, job finished.
		List<?> answers = (List<?>) this.store
			.reportAsync(List.of("e", job, Integer.toString(unit), Integer.toString(unit), "1", outcome, code, "0"),
					RETENTION, "a", Map.of(), List.of())
			.join()
			.get(0);
		long answer = ((Number) answers.get(0)).longValue();
		return List.of(answer & 1, (answer >> 1) & 1, (answer >> 2) & 1);
	}

	private String fetched(int status, long bytes) {
		FetchResult fetch = new FetchResult(status, bytes, "text/plain", "http://127.0.0.1/", "0".repeat(64), 1.0, 2.0,
				0);
		return this.codec.outcome(new RedisCodec.StoredOutcome(null, fetch, null, null, 2.0, null));
	}

	private String sum(String total) {
		return this.codec.outcome(new RedisCodec.StoredOutcome(total, null, null, null, 1.0, null));
	}

	private String cancelled() {
		return this.codec.outcome(RedisCodec.StoredOutcome.failed(TaskErrorCode.CANCELLED, "task was cancelled"));
	}

	private String lost() {
		return this.codec.outcome(RedisCodec.StoredOutcome.failed(TaskErrorCode.WORKER_LOST, "lost"));
	}

}
