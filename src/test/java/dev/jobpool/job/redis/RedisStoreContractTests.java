package dev.jobpool.job.redis;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import dev.jobpool.ApiClient;
import dev.jobpool.RedisServer;
import dev.jobpool.job.JobStoreContract;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store contract against a real {@code redis-server} started for the class on a free
 * loopback port.
 */
@EnabledIf("dev.jobpool.RedisServer#usable")
@TestPropertySource(properties = { "jobpool.store=redis", "jobpool.cluster.replica-id=contract-1" })
@DirtiesContext
class RedisStoreContractTests extends JobStoreContract {

	@RegisterExtension
	static final RedisServer.PerClass redis = new RedisServer.PerClass();

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		redis.register(registry);
	}

	@Autowired
	private RedisStore store;

	@Autowired
	private MeterRegistry meters;

	@Override
	protected String store() {
		return "redis";
	}

	/**
	 * The accepting replica starts a sum job's first units before its admission is
	 * answered: those of a job the admission refuses stop at once, and their workers take
	 * the next job.
	 */
	@Test
	void theUnitsStartedAheadOfARefusedAdmissionStopAtOnce() {
		String large = "10000000000";
		String filler = api()
			.post("/api/jobs/sum",
					"{\"numbers\":[" + String.join(",", Collections.nCopies(350, large))
							+ "],\"executor\":\"sequential\",\"concurrency\":1}")
			.json()
			.get("id")
			.asString();
		try {
			ApiClient.Response refused = api().post("/api/jobs/sum", "{\"numbers\":["
					+ String.join(",", Collections.nCopies(60, large)) + "],\"executor\":\"process\"}");
			assertThat(refused.status()).isEqualTo(429);

			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(api().get("/actuator/prometheus").body())
					.containsPattern("jobpool_executor_active_tasks\\{[^}]*executor=\"process\"[^}]*\\} 0\\.0"));
		}
		finally {
			api().delete("/api/jobs/" + filler);
		}
		JsonNode next = api().post("/api/jobs/sum?wait=30", "{\"numbers\":[10,20],\"executor\":\"process\"}").json();
		assertThat(next.get("status").asString()).isEqualTo("succeeded");
		assertThat(next.get("result").get("total").asLong()).isEqualTo(45 + 190);
	}

	/**
	 * A sum job alone in line on one replica: each unit after the first starts in the
	 * slot the one before freed, ahead of the claim that the report of that end makes,
	 * and every one of them is the claim's.
	 */
	@Test
	void eachNextUnitOfASumJobAloneInLineStartsAheadOfItsClaim() {
		double confirmed = 0;
		double refusedBefore = startedAhead("refused");
		// Admission takes no slot that the claimer's idle look holds at that moment.
		for (int attempt = 0; attempt < 3 && confirmed == 0; attempt++) {
			double before = startedAhead("confirmed");
			JsonNode job = api()
				.post("/api/jobs/sum?wait=30", "{\"numbers\":[1000,2000,3000,4000],\"executor\":\"sequential\"}")
				.json();
			assertThat(job.get("status").asString()).isEqualTo("succeeded");
			assertThat(job.get("result").get("total").asLong()).isEqualTo(499500 + 1999000 + 4498500 + 7998000);
			confirmed = startedAhead("confirmed") - before;
		}

		assertThat(confirmed).as("units started ahead and then claimed").isEqualTo(4);
		assertThat(startedAhead("refused")).isEqualTo(refusedBefore);
	}

	private double startedAhead(String outcome) {
		return this.meters.get("jobpool.cluster.units.started.ahead").tag("outcome", outcome).counter().count();
	}

	/**
	 * The step that claimed a unit can run in Redis and its answer never reach the
	 * replica (a dropped connection): the unit would stay claimed by a live replica for
	 * ever. Here the unit is claimed for this replica behind its agent's back.
	 */
	@Test
	void aUnitClaimedForThisReplicaWhoseAnswerWasLostRunsAfterAll() {
		String id = UUID.randomUUID().toString();
		List<String> args = List.of(id, "", "fingerprint", "1000", "sequential", "3600000", "1000", "1", "1", "7", "0",
				"[10]", "contract-1", "1", "type", "sum", "requested", "sequential", "reason", "requested explicitly",
				"conc", "1", "concReason", "requested", "timeoutMs", "60000", "replica", "contract-1",
				"{\"t\":0,\"k\":1,\"n\":10}");
		List<Object> admitted = this.store.admit(args);
		assertThat(admitted).startsWith("created", id);
		assertThat((List<?>) admitted.get(2)).as("claimed for contract-1, but its agent never heard").hasSize(6);

		Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			JsonNode job = api().get("/api/jobs/" + id).json();
			assertThat(job.get("status").asString()).isEqualTo("succeeded");
			assertThat(job.get("result").get("total").asLong()).isEqualTo(45);
		});
		assertThat(this.store.claimsOf("contract-1")).noneMatch((member) -> member.startsWith(id));
	}

}
