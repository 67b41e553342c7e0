package dev.jobpool.job.redis;

import java.math.BigInteger;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import dev.jobpool.execution.WorkerInfo;
import dev.jobpool.execution.WorkerKind;
import dev.jobpool.task.FetchResult;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskOutcome;
import dev.jobpool.task.TaskResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Outcomes and workers as the store keeps them: read token by token when this codec wrote
 * them, they read as binding them to their records reads them, and anything else is
 * bound.
 */
class RedisCodecTests {

	private static final FetchResult FETCH = new FetchResult(200, 512, "text/plain", "http://127.0.0.1:8080/?i=1",
			"076a27c79e5ace2a3d47f9dd2e83e4ff6ea8872b3c2218f66c92b89b55f36560", 12.5, 13.25, 1);

	private final RedisCodec codec = new RedisCodec();

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void everyOutcomeThisCodecWritesReadsBackAsBindingReadsIt() {
		List<String> written = List.of(
				this.codec.outcome(new TaskOutcome.Succeeded(new TaskResult.Sum(new BigInteger("49999995000000"))),
						130.5, 120.0),
				this.codec.outcome(new TaskOutcome.Succeeded(new TaskResult.Sum(BigInteger.TWO.pow(70))), 1.0, null),
				this.codec.outcome(new TaskOutcome.Succeeded(FETCH), 13.3, null),
				this.codec.outcome(new TaskOutcome.Succeeded(
						new FetchResult(404, 0, null, "http://127.0.0.1/", "e3b0", 0.5, 0.75, 0)), null, null),
				this.codec.outcome(new TaskOutcome.Failed(TaskErrorCode.TIMEOUT, "Task timed out after 5 ms"), 5.0,
						2.0),
				this.codec.outcome(RedisCodec.StoredOutcome.failed(TaskErrorCode.WORKER_LOST, "lost \"twice\" é")));

		for (String stored : written) {
			assertThat(this.codec.outcome(stored)).as(stored).isEqualTo(bound(stored));
		}
		assertThat(this.codec.outcome(written.get(2)).result()).isEqualTo(FETCH);
		assertThat(this.codec.outcome(written.get(3)).fetch().contentType()).isNull();
		assertThat(this.codec.outcome(written.get(4)).errorCode()).isEqualTo(TaskErrorCode.TIMEOUT);
	}

	@Test
	void outcomesOfAnotherFormAreBound() {
		List<String> others = List.of("{\"ms\":3,\"sum\":\"7\"}", "{\"sum\":\"7\",\"later\":[1,{\"a\":2}]}",
				"{\"sum\":7}", "{\"sum\":null,\"code\":\"timeout\"}",
				"{\"fetch\":{\"status\":200,\"bytes\":1,\"finalUrl\":\"u\",\"sha256\":\"s\",\"timeToFirstByteMs\":1,"
						+ "\"totalMs\":2,\"redirects\":0,\"more\":true}}",
				"{\"fetch\":{\"status\":200,\"bytes\":1,\"finalUrl\":\"u\",\"sha256\":\"s\",\"timeToFirstByteMs\":1,"
						+ "\"totalMs\":2,\"redirects\":0},\"ms\":1e2}");

		for (String stored : others) {
			assertThat(this.codec.outcome(stored)).as(stored).isEqualTo(bound(stored));
		}
		assertThat(this.codec.outcome("{\"sum\":7}").sum()).isEqualTo("7");
	}

	@Test
	void anOutcomeThatIsNotJsonFailsAsBindingFails() {
		assertThatExceptionOfType(JacksonException.class).isThrownBy(() -> this.codec.outcome("{\"sum\":\"7\""));
		assertThatExceptionOfType(JacksonException.class).isThrownBy(() -> this.codec.outcome("{} {}"));
	}

	@Test
	void everyWorkerThisCodecWritesReadsBackAsItWas() {
		for (WorkerKind kind : WorkerKind.values()) {
			for (WorkerInfo worker : List.of(new WorkerInfo(kind, "jobpool-virtual-80324", 7510, "r1"),
					new WorkerInfo(kind, "worker \"1\" é", 1, null))) {
				String stored = this.codec.worker(worker);

				assertThat(this.codec.worker(stored)).as(stored).isEqualTo(worker);
			}
		}
		String other = "{\"pid\":3,\"name\":\"n\",\"kind\":\"process\",\"cpu\":1}";
		assertThat(this.codec.worker(other)).isEqualTo(this.json.readValue(other, WorkerInfo.class));
	}

	private RedisCodec.StoredOutcome bound(String stored) {
		return this.json.readValue(stored, RedisCodec.StoredOutcome.class);
	}

}
